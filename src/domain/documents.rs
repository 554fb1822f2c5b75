//! Documents that run out (iqama, passport, driving licence, istimara), the
//! services that renew them, for how long, and what they cost (domain-facts.md).

use chrono::{Months, NaiveDate};

use super::services::{self, Service};
use super::{Money, Sector};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Iqama,
    Passport,
    DrivingLicence,
    /// A vehicle's registration.
    Istimara,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 4] =
        [DocumentKind::Iqama, DocumentKind::Passport, DocumentKind::DrivingLicence, DocumentKind::Istimara];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Iqama => "iqama",
            DocumentKind::Passport => "passport",
            DocumentKind::DrivingLicence => "driving_licence",
            DocumentKind::Istimara => "istimara",
        }
    }

    pub fn parse(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A service that renews (or issues) a document for a fixed period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Renewal {
    pub service_code: &'static str,
    pub document: DocumentKind,
    pub months: u32,
}

/// Every renewing service in the catalogue, each kind's usual one first. The dependant fee is
/// left out: it pays for a dependant's stay, not for a document.
pub const RENEWALS: &[Renewal] = &[
    Renewal { service_code: "iqama_renewal_1y", document: DocumentKind::Iqama, months: 12 },
    Renewal { service_code: "iqama_renewal_3m", document: DocumentKind::Iqama, months: 3 },
    Renewal { service_code: "domestic_iqama_1y", document: DocumentKind::Iqama, months: 12 },
    Renewal { service_code: "passport_issue_5y", document: DocumentKind::Passport, months: 60 },
    Renewal { service_code: "passport_issue_10y", document: DocumentKind::Passport, months: 120 },
    Renewal { service_code: "licence_renewal_10y", document: DocumentKind::DrivingLicence, months: 120 },
    Renewal { service_code: "licence_renewal_late", document: DocumentKind::DrivingLicence, months: 12 },
    Renewal { service_code: "istimara_renewal_1y", document: DocumentKind::Istimara, months: 12 },
];

impl Renewal {
    pub fn of_service(code: &str) -> Option<Renewal> {
        RENEWALS.iter().copied().find(|r| r.service_code == code)
    }

    /// The renewal of a document last renewed by `service_code`: the same service again, for the
    /// same period, or the kind's usual one when the code renews something else.
    pub fn next_for(document: DocumentKind, service_code: &str) -> Option<Renewal> {
        let same = Renewal::of_service(service_code).filter(|r| r.document == document);
        same.or_else(|| RENEWALS.iter().copied().find(|r| r.document == document))
    }

    fn service(self) -> Option<&'static Service> {
        services::find(self.service_code)
    }

    /// The government fee of this renewal, for its own period.
    pub fn fee(self) -> Money {
        self.service().map_or(Money::ZERO, |s| s.fee)
    }

    /// The sector whose deposit pays it.
    pub fn sector(self) -> Sector {
        self.service().map_or(Sector::Passports, |s| s.sector)
    }

    /// The day a document renewed on `renewed_on` runs out. A renewal on the 31st that ends in a
    /// shorter month ends on that month's last day.
    pub fn expires_on(self, renewed_on: NaiveDate) -> Option<NaiveDate> {
        renewed_on.checked_add_months(Months::new(self.months))
    }
}

/// Whole days from `today` to `expires_on`; negative once the document has run out.
pub fn days_left(expires_on: NaiveDate, today: NaiveDate) -> i64 {
    (expires_on - today).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_renewal_is_a_catalogue_service_with_the_public_fee() {
        for r in RENEWALS {
            assert!(services::find(r.service_code).is_some(), "{}", r.service_code);
        }
        let fee = |code| Renewal::of_service(code).unwrap().fee().to_string();
        assert_eq!(fee("iqama_renewal_1y"), "650.00");
        assert_eq!(fee("iqama_renewal_3m"), "163.00");
        assert_eq!(fee("domestic_iqama_1y"), "600.00");
        assert_eq!(fee("istimara_renewal_1y"), "100.00");
        assert_eq!(Renewal::of_service("domestic_iqama_1y").unwrap().sector(), Sector::Sponsorees);
        assert_eq!(Renewal::of_service("exit_reentry_single"), None);
        let next = |kind, code| Renewal::next_for(kind, code).map(|r| r.service_code);
        assert_eq!(next(DocumentKind::Iqama, "iqama_renewal_3m"), Some("iqama_renewal_3m"));
        assert_eq!(next(DocumentKind::Iqama, "istimara_renewal_1y"), Some("iqama_renewal_1y"));
    }

    #[test]
    fn expiry_adds_calendar_months_and_days_left_go_negative() {
        let quarter = Renewal::of_service("iqama_renewal_3m").unwrap();
        assert_eq!(quarter.expires_on(day(2026, 8, 25)), Some(day(2026, 11, 25)));
        assert_eq!(quarter.expires_on(day(2026, 11, 30)), Some(day(2027, 2, 28)));
        let passport = Renewal::of_service("passport_issue_10y").unwrap();
        assert_eq!(passport.expires_on(day(2020, 2, 29)), Some(day(2030, 2, 28)));
        assert_eq!(days_left(day(2026, 11, 25), day(2026, 11, 25)), 0);
        assert_eq!(days_left(day(2026, 12, 25), day(2026, 11, 25)), 30);
        assert_eq!(days_left(day(2026, 11, 20), day(2026, 11, 25)), -5);
    }

    #[test]
    fn kinds_round_trip() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
        }
    }
}
