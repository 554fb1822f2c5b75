//! The demo's documents, read off the renewal rows the seed wrote, so that each
//! expiry agrees with the history: the newest renewal's day plus its period.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::{DocumentKind, Renewal, TxKind};
use crate::server::store::{NewDocument, NewTransaction};

/// The document's number: the holder's ID for an iqama and a licence, a passport number made from
/// the ID, and a vehicle's sequence number for each car.
fn number(kind: DocumentKind, holder: &str, car: usize) -> String {
    let serial = holder.get(1..9).unwrap_or(holder);
    match kind {
        DocumentKind::Iqama | DocumentKind::DrivingLicence => holder.to_owned(),
        DocumentKind::Passport => format!("A{serial}"),
        DocumentKind::Istimara => format!("{}{:02}", holder.get(2..9).unwrap_or(holder), car + 1),
    }
}

/// A document is renewed when a service uses the deposit paid for it (a payment still held has
/// renewed nothing yet). For each holder (the rows' beneficiary) and kind, the newest renewal
/// counts; a holder with several cars has an istimara for each of its newest `cars` renewals.
pub fn from_rows(rows: &[NewTransaction], cars: &HashMap<String, usize>) -> Vec<NewDocument> {
    let mut renewals: HashMap<(&str, DocumentKind), Vec<(NaiveDate, Renewal)>> = HashMap::new();
    for row in rows.iter().filter(|r| r.kind == TxKind::Usage) {
        let Some(renewal) = Renewal::of_service(row.service_code) else { continue };
        let Ok(day) = row.date.parse::<NaiveDate>() else { continue };
        renewals.entry((row.beneficiary_id.as_str(), renewal.document)).or_default().push((day, renewal));
    }
    let mut docs = Vec::new();
    for ((holder, kind), mut list) in renewals {
        list.sort_by_key(|r| std::cmp::Reverse(r.0));
        let count = if kind == DocumentKind::Istimara { cars.get(holder).copied().unwrap_or(1) } else { 1 };
        for (car, (day, renewal)) in list.into_iter().take(count).enumerate() {
            let Some(expires) = renewal.expires_on(day) else { continue };
            docs.push(NewDocument {
                id_number: holder.to_owned(),
                kind: kind.code(),
                number: number(kind, holder, car),
                expires_on: expires.format("%Y-%m-%d").to_string(),
                renewed_by: renewal.service_code,
            });
        }
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Sector};

    fn usage(day: &str, code: &'static str, beneficiary: &str) -> NewTransaction {
        NewTransaction {
            id_number: "1400949291".into(),
            date: day.into(),
            sector: Sector::Passports,
            service_code: code,
            kind: TxKind::Usage,
            amount: Money::from_riyals(163),
            beneficiary_id: beneficiary.into(),
            reference: "r".into(),
        }
    }

    #[test]
    fn the_newest_renewal_sets_the_expiry_and_held_payments_renew_nothing() {
        let mut paid_ahead = usage("2026-11-20", "iqama_renewal_3m", "2300000011");
        paid_ahead.kind = TxKind::Payment;
        let rows = [
            usage("2026-05-02", "iqama_renewal_3m", "2300000011"),
            usage("2026-08-03", "iqama_renewal_3m", "2300000011"),
            usage("2026-07-01", "exit_reentry_single", "2300000011"),
            paid_ahead,
            usage("2025-03-04", "istimara_renewal_1y", "1400949291"),
            usage("2026-01-09", "istimara_renewal_1y", "1400949291"),
            usage("2026-02-10", "istimara_renewal_1y", "1400949291"),
        ];
        let cars = HashMap::from([("1400949291".to_owned(), 2)]);
        let mut docs = from_rows(&rows, &cars);
        docs.sort_by(|a, b| (&a.id_number, &a.expires_on).cmp(&(&b.id_number, &b.expires_on)));
        let got: Vec<_> = docs.iter().map(|d| (d.id_number.as_str(), d.kind, d.expires_on.as_str())).collect();
        assert_eq!(
            got,
            [
                ("1400949291", "istimara", "2027-01-09"),
                ("1400949291", "istimara", "2027-02-10"),
                ("2300000011", "iqama", "2026-11-03"),
            ]
        );
        assert_ne!(docs[0].number, docs[1].number, "one istimara a car");
        assert_eq!(docs[2].number, "2300000011", "an iqama's number is the holder's ID");
    }
}
