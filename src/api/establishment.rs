//! The establishment's reports: every worker's money, documents, renewals due.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Totals;
use crate::domain::{DocumentKind, Money, PersonKind, Sector};

/// The most days ahead the renewals report looks.
pub const MAX_WITHIN_DAYS: u32 = 366;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkerSort {
    /// Most money held first.
    #[default]
    AvailableDesc,
    AvailableAsc,
    /// By English name, in any case.
    Name,
    IdNumber,
    /// Money held the longest first; workers with nothing held last.
    OldestUnused,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkersQuery {
    /// Workers per page, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next_cursor` or `prev_cursor` of another page.
    pub cursor: Option<String>,
    pub sort: Option<WorkerSort>,
    /// `true` keeps only workers with money still held: the refund candidates.
    pub has_available: Option<bool>,
    /// Text found in the worker's name (English or Arabic, any case) or ID number.
    #[param(max_length = 100)]
    pub q: Option<String>,
}

/// Money still held, per sector.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SectorAmounts {
    #[schema(value_type = String, example = "163.00")]
    pub passports: Money,
    #[schema(value_type = String, example = "0.00")]
    pub vehicles: Money,
    #[schema(value_type = String, example = "0.00")]
    pub driving_licence: Money,
    #[schema(value_type = String, example = "0.00")]
    pub sponsorees: Money,
    #[schema(value_type = String, example = "51.75")]
    pub labour: Money,
}

impl SectorAmounts {
    pub fn get(&self, sector: Sector) -> Money {
        match sector {
            Sector::Passports => self.passports,
            Sector::Vehicles => self.vehicles,
            Sector::DrivingLicence => self.driving_licence,
            Sector::Sponsorees => self.sponsorees,
            Sector::Labour => self.labour,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkerMoney {
    pub id_number: String,
    pub name_ar: String,
    pub name_en: String,
    pub kind: PersonKind,
    pub available: SectorAmounts,
    pub totals: Totals,
    /// The day of the worker's latest payment, YYYY-MM-DD.
    pub last_payment_on: Option<String>,
    /// The day of the oldest payment not yet used up, YYYY-MM-DD. Services use the oldest
    /// money first, so what is held is the newest payments.
    pub oldest_unused_on: Option<String>,
    pub iqama_expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkersReport {
    pub items: Vec<WorkerMoney>,
    pub next_cursor: Option<String>,
    /// Null on the first page.
    pub prev_cursor: Option<String>,
    /// Workers matching the filters, over all pages.
    pub total_count: u64,
    /// Sums over every matching worker, not only this page.
    pub sums: Totals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Document {
    pub kind: DocumentKind,
    /// The iqama or licence number (the holder's ID), the passport number, or the vehicle's
    /// sequence number.
    pub number: String,
    /// YYYY-MM-DD (Gregorian).
    pub expires_on: String,
    /// YYYY-MM-DD (Umm al-Qura).
    pub expires_on_hijri: String,
    /// Negative once it has run out.
    pub days_left: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RenewalsQuery {
    /// Documents running out within this many days, 1 to 366 (default 90); those that ran out
    /// already are always included.
    #[param(minimum = 1, maximum = 366)]
    pub within_days: Option<u32>,
    /// Rows per page, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RenewalDue {
    pub id_number: String,
    pub name_ar: String,
    pub name_en: String,
    pub document: DocumentKind,
    /// YYYY-MM-DD (Gregorian).
    pub expires_on: String,
    /// YYYY-MM-DD (Umm al-Qura).
    pub expires_on_hijri: String,
    pub days_left: i64,
    /// The government fee for renewing it for the period it was last renewed for.
    #[schema(value_type = String, example = "163.00")]
    pub fee: Money,
    /// The sector whose deposit pays the fee.
    pub sector: Sector,
    #[schema(value_type = String, example = "200.00")]
    pub available_in_sector: Money,
    /// The money held in `sector` pays the fee.
    pub covered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RenewalsPage {
    pub items: Vec<RenewalDue>,
    pub next_cursor: Option<String>,
    /// Documents due, over all pages.
    pub total_count: u64,
}
