//! How amounts, dates, sectors, people and counts read, on screen and in the plain commands.

use chrono::{DateTime, NaiveDate};

use super::strings::{Arg, T, tr};
use crate::api::Relation;
use crate::config::Lang;
use crate::domain::{HijriDate, Money, PersonKind, Sector, TxKind};

/// Today's date in Riyadh.
pub fn riyadh_date(now_ms: i64) -> NaiveDate {
    let offset_ms = i64::from(crate::domain::hijri::RIYADH_UTC_OFFSET_S) * 1000;
    DateTime::from_timestamp_millis(now_ms + offset_ms).unwrap_or_default().date_naive()
}

pub fn sector(lang: Lang, sector: Sector) -> String {
    let t = match sector {
        Sector::Passports => T::SectorPassports,
        Sector::Vehicles => T::SectorVehicles,
        Sector::DrivingLicence => T::SectorDrivingLicence,
        Sector::Sponsorees => T::SectorSponsorees,
        Sector::Labour => T::SectorLabour,
    };
    t.get(lang).to_owned()
}

/// For narrow table columns.
pub fn sector_short(lang: Lang, sector: Sector) -> String {
    let t = match sector {
        Sector::Passports => T::SectorShortPassports,
        Sector::Vehicles => T::SectorShortVehicles,
        Sector::DrivingLicence => T::SectorShortDrivingLicence,
        Sector::Sponsorees => T::SectorShortSponsorees,
        Sector::Labour => T::SectorShortLabour,
    };
    t.get(lang).to_owned()
}

const HIJRI_MONTHS: [T; 12] = [
    T::HijriMonth1,
    T::HijriMonth2,
    T::HijriMonth3,
    T::HijriMonth4,
    T::HijriMonth5,
    T::HijriMonth6,
    T::HijriMonth7,
    T::HijriMonth8,
    T::HijriMonth9,
    T::HijriMonth10,
    T::HijriMonth11,
    T::HijriMonth12,
];

fn parse_day(date: &str) -> Option<NaiveDate> {
    crate::domain::day::parse_day(date.get(..10)?)
}

/// "1448-06-15" for a table cell.
pub fn hijri_short(date: &str) -> String {
    parse_day(date).and_then(HijriDate::from_gregorian).map(|h| h.to_string()).unwrap_or_default()
}

/// "15 Jumada al-Akhirah 1448 AH".
pub fn hijri_long(lang: Lang, date: &str) -> String {
    let Some(h) = parse_day(date).and_then(HijriDate::from_gregorian) else { return String::new() };
    let month = HIJRI_MONTHS[usize::from(h.month).saturating_sub(1) % 12].get(lang);
    tr(
        lang,
        T::HijriDate,
        &[("day", Arg::Num(h.day.into())), ("month", Arg::Str(month)), ("year", Arg::Num(h.year.into()))],
    )
}

/// The as-of line: Hijri and Gregorian, with the time in Riyadh.
pub fn as_of(lang: Lang, rfc3339: &str) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => {
            let day = t.format("%Y-%m-%d").to_string();
            format!("{} · {} {}", hijri_long(lang, &day), day, t.format("%H:%M"))
        }
        Err(_) => rfc3339.to_owned(),
    }
}

pub use crate::domain::money::grouped;

/// Bar labels: 950, 1.2k, 35k, 1.5M.
pub fn compact(riyals: u64) -> String {
    match riyals {
        0..=999 => riyals.to_string(),
        1_000..=9_999 => format!("{}.{}k", riyals / 1000, (riyals % 1000) / 100),
        10_000..=999_999 => format!("{}k", riyals / 1000),
        _ => format!("{}.{}M", riyals / 1_000_000, (riyals % 1_000_000) / 100_000),
    }
}

/// Money in and out carries a sign, never colour alone.
pub fn signed_amount(kind: TxKind, amount: Money) -> String {
    match kind {
        TxKind::Payment => format!("+{}", amount.to_grouped()),
        TxKind::Usage | TxKind::Refund => format!("-{}", amount.to_grouped()),
    }
}

/// "Spouse", "Domestic worker"… as the people lists show it.
pub fn relation_label(lang: Lang, relation: Relation) -> &'static str {
    match relation {
        Relation::Own => T::RelSelf.get(lang),
        Relation::Spouse => T::RelSpouse.get(lang),
        Relation::Child => T::RelChild.get(lang),
        Relation::DomesticWorker => T::RelDomestic.get(lang),
        Relation::Worker => T::RelWorker.get(lang),
    }
}

/// "Payment", "Usage" or "Refund".
pub fn kind_label(lang: Lang, kind: TxKind) -> &'static str {
    match kind {
        TxKind::Payment => T::KindPayment.get(lang),
        TxKind::Usage => T::KindUsage.get(lang),
        TxKind::Refund => T::KindRefund.get(lang),
    }
}

/// "Citizen" or "Resident".
pub fn person_kind(lang: Lang, kind: PersonKind) -> &'static str {
    match kind {
        PersonKind::Citizen => T::Citizen.get(lang),
        PersonKind::Resident => T::Resident.get(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_hijri_and_gregorian() {
        assert_eq!(hijri_long(Lang::En, "2026-11-25"), "15 Jumada al-Akhirah 1448 AH");
        assert_eq!(hijri_long(Lang::Ar, "2026-11-25"), "15 جمادى الآخرة 1448 هـ");
        assert_eq!(hijri_short("2026-11-25"), "1448-06-15");
        assert_eq!(as_of(Lang::En, "2026-11-25T16:24:00+03:00"), "15 Jumada al-Akhirah 1448 AH · 2026-11-25 16:24");
        // 23:30 UTC is already the next day in Riyadh.
        let late = chrono::DateTime::parse_from_rfc3339("2026-11-24T23:30:00Z").unwrap().timestamp_millis();
        assert_eq!(riyadh_date(late), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    }

    #[test]
    fn counts_and_bar_labels() {
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(999), "999");
        assert_eq!(compact(950), "950");
        assert_eq!(compact(1250), "1.2k");
        assert_eq!(compact(35_400), "35k");
        assert_eq!(compact(1_500_000), "1.5M");
    }
}
