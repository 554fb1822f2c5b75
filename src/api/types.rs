//! Request and response bodies of every call in API v1.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Secret;
use crate::domain::{Money, PersonKind, Sector, TxKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Captcha {
    pub captcha_id: String,
    /// The image code as a PNG, base64 (standard alphabet).
    pub image_png_base64: String,
    pub width: u32,
    pub height: u32,
    pub expires_in_s: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// A username or an ID number.
    pub username: String,
    pub password: Secret,
    pub captcha_id: String,
    pub captcha_answer: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoginChallenge {
    pub challenge_id: String,
    /// The phone the code was sent to, e.g. "05******34".
    pub masked_phone: String,
    pub otp_expires_in_s: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpRequest {
    pub challenge_id: String,
    pub code: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpResendRequest {
    pub challenge_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id_number: String,
    pub name_ar: String,
    pub name_en: String,
    pub kind: PersonKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub token: Secret,
    pub expires_in_s: u64,
    pub user: Person,
}

/// A node of the My Services tree: a group has `children`, a leaf has
/// `available` and `action`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ServiceNode {
    pub key: String,
    pub title_ar: String,
    pub title_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion)]
    pub children: Option<Vec<ServiceNode>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    /// What a client does for an available leaf, e.g. "payments_balance".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    #[serde(rename = "self")]
    Own,
    Spouse,
    Child,
    DomesticWorker,
    Worker,
}

impl Relation {
    /// The relation as the API and the database write it.
    pub fn code(self) -> &'static str {
        match self {
            Relation::Own => "self",
            Relation::Spouse => "spouse",
            Relation::Child => "child",
            Relation::DomesticWorker => "domestic_worker",
            Relation::Worker => "worker",
        }
    }
}

impl TxStatus {
    pub fn code(self) -> &'static str {
        match self {
            TxStatus::Settled => "settled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LinkedPerson {
    pub id_number: String,
    pub name_ar: String,
    pub name_en: String,
    pub kind: PersonKind,
    pub relation: Relation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryRequest {
    pub id_number: String,
    pub captcha_id: String,
    pub captcha_answer: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SectorBalance {
    pub sector: Sector,
    #[schema(value_type = String, example = "650.00")]
    pub paid: Money,
    #[schema(value_type = String, example = "200.00")]
    pub used: Money,
    #[schema(value_type = String, example = "0.00")]
    pub refunded: Money,
    #[schema(value_type = String, example = "450.00")]
    pub available: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Totals {
    #[schema(value_type = String, example = "650.00")]
    pub paid: Money,
    #[schema(value_type = String, example = "200.00")]
    pub used: Money,
    #[schema(value_type = String, example = "0.00")]
    pub refunded: Money,
    #[schema(value_type = String, example = "450.00")]
    pub available: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BalanceReport {
    pub subject: Person,
    /// When the balances were read (RFC 3339, Riyadh time).
    pub as_of: String,
    pub balances: Vec<SectorBalance>,
    pub totals: Totals,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TxSort {
    #[default]
    DateDesc,
    DateAsc,
    AmountDesc,
    AmountAsc,
}

impl TxSort {
    /// The same order the other way round: its first page is this order's last.
    pub fn reversed(self) -> TxSort {
        match self {
            TxSort::DateDesc => TxSort::DateAsc,
            TxSort::DateAsc => TxSort::DateDesc,
            TxSort::AmountDesc => TxSort::AmountAsc,
            TxSort::AmountAsc => TxSort::AmountDesc,
        }
    }

    pub fn by_date(self) -> bool {
        matches!(self, TxSort::DateDesc | TxSort::DateAsc)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransactionsQuery {
    /// Rows per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// A page's `next_cursor` (the page after it) or `prev_cursor` (the page before it).
    /// A `next_cursor` of the reverse sort serves as a `prev_cursor`: the first page of the
    /// reverse sort is the last page of this one, and its `next_cursor` walks up from there.
    pub cursor: Option<String>,
    pub sector: Option<Sector>,
    pub kind: Option<TxKind>,
    /// First day included, YYYY-MM-DD.
    pub from: Option<String>,
    /// Last day included, YYYY-MM-DD.
    pub to: Option<String>,
    /// Text found in the reference, the beneficiary ID or the service name. The reference server
    /// searches at most 100,000 transactions (those the other filters leave); a broader search is
    /// refused with 400 `bad_request`, whose message names a `from` that brings it within reach.
    #[param(max_length = 100)]
    pub q: Option<String>,
    pub sort: Option<TxSort>,
    /// A day, YYYY-MM-DD (date sorts only, not with `cursor`): the page starts at the first row on
    /// or before it (`date_desc`) or on or after it (`date_asc`). A day past either end of the
    /// list lands on that end: the first page, or the last rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[param(format = Date)]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TxStatus {
    Settled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Transaction {
    pub id: i64,
    /// YYYY-MM-DD (Gregorian).
    pub date: String,
    pub sector: Sector,
    pub service_code: String,
    // Cow: the server lends the catalogue's names instead of copying them into every row it sends.
    /// The service's name in Arabic.
    #[schema(value_type = String)]
    pub service_ar: Cow<'static, str>,
    /// The service's name in English.
    #[schema(value_type = String)]
    pub service_en: Cow<'static, str>,
    pub kind: TxKind,
    #[schema(value_type = String, example = "200.00")]
    pub amount: Money,
    /// Whose service it was (the subject or, for an establishment, a worker).
    pub beneficiary_id: String,
    pub reference: String,
    pub status: TxStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransactionPage {
    pub items: Vec<Transaction>,
    pub next_cursor: Option<String>,
    /// The page before this one; null on the first page.
    pub prev_cursor: Option<String>,
    /// Rows matching the filters, over all pages.
    pub total_count: u64,
    /// The index (from 0) of this page's first row in the whole filtered, sorted list; on an
    /// empty page, where its first row would be. In amount order it is counted along the
    /// cursors from either end.
    #[schema(minimum = 0)]
    pub position: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpendingPeriod {
    #[default]
    Month,
    HijriMonth,
    Year,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpendingQuery {
    pub by: Option<SpendingPeriod>,
    pub sector: Option<Sector>,
    /// First day included, YYYY-MM-DD.
    pub from: Option<String>,
    /// Last day included, YYYY-MM-DD.
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SpendingPoint {
    /// "2026-11" (month), "1448-06" (Hijri month) or "2026" (year).
    pub period: String,
    #[schema(value_type = String, example = "850.00")]
    pub spent: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Spending {
    pub series: Vec<SpendingPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DevSms {
    pub challenge_id: String,
    pub masked_phone: String,
    pub code: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DevCaptcha {
    pub captcha_id: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DevOutbox {
    pub sms: Vec<DevSms>,
    pub captchas: Vec<DevCaptcha>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_wire_names() {
        let relations = [Relation::Own, Relation::Spouse, Relation::Child, Relation::DomesticWorker, Relation::Worker];
        for r in relations {
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.code()));
        }
        assert_eq!(serde_json::to_string(&TxStatus::Settled).unwrap(), format!("\"{}\"", TxStatus::Settled.code()));
    }
}
