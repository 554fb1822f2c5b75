//! Hijri dates in the Umm al-Qura calendar, through icu_calendar (no hand-written conversion).

use chrono::{Datelike, NaiveDate};
use icu_calendar::Date;
use icu_calendar::cal::Hijri;

/// Riyadh is UTC+3 all year (no daylight saving): the day a payment or an inquiry belongs to.
pub const RIYADH_UTC_OFFSET_S: i32 = 3 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HijriDate {
    pub year: i32,
    /// 1 = Muharram .. 12 = Dhu al-Hijjah
    pub month: u8,
    pub day: u8,
}

impl HijriDate {
    /// The Umm al-Qura date of a Gregorian day; `None` outside icu's range.
    pub fn from_gregorian(date: NaiveDate) -> Option<HijriDate> {
        let month = u8::try_from(date.month()).ok()?;
        let day = u8::try_from(date.day()).ok()?;
        let iso = Date::try_new_iso(date.year(), month, day).ok()?;
        let hijri = iso.to_calendar(Hijri::new_umm_al_qura());
        Some(HijriDate {
            year: hijri.year().extended_year(),
            month: hijri.month().ordinal,
            day: hijri.day_of_month().0,
        })
    }

    /// "1448-06" — sortable key of a Hijri month.
    pub fn month_key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

impl std::fmt::Display for HijriDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector_from_domain_facts() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let h = HijriDate::from_gregorian(d).unwrap();
        assert_eq!(h, HijriDate { year: 1448, month: 6, day: 15 });
        assert_eq!(h.month_key(), "1448-06");
    }

    #[test]
    fn consecutive_days_never_go_backwards() {
        let mut d = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
        let mut prev = HijriDate::from_gregorian(d).unwrap();
        for _ in 0..4000 {
            d = d.succ_opt().unwrap();
            let h = HijriDate::from_gregorian(d).unwrap();
            assert!(h > prev, "{d}: {h} after {prev}");
            assert!((1..=30).contains(&h.day));
            prev = h;
        }
    }
}
