//! My Services, the people a user may inquire, balances, transactions and spending.

use std::borrow::Cow;

use axum::extract::State;
use chrono::{Datelike, NaiveDate};

use super::AppState;
use super::auth::{AuthUser, consume_captcha};
use super::client_addr::ClientAddr;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, SizedJson};
use super::history::{self, Refusal, Start};
use super::store::{TooBroad, TxFilter, TxRow};
use crate::api::{
    BalanceReport, ErrorBody, ErrorCode, Health, InquiryRequest, LinkedPerson, Person, SectorBalance, ServiceNode,
    Spending, SpendingPeriod, SpendingPoint, SpendingQuery, Totals, Transaction, TransactionPage, TransactionsQuery,
    TxStatus,
};
use crate::domain::id_number::normalize_digits;
use crate::domain::{HijriDate, IdNumber, Money, services};

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = crate::api::MAX_PAGE_LIMIT;
const MAX_QUERY_CHARS: usize = 100;

/// Liveness.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "The process is up", body = Health)))]
pub async fn healthz() -> axum::Json<Health> {
    axum::Json(Health { status: "ok".into() })
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "ops", responses(
    (status = 200, description = "The database answers", body = Health),
    (status = 503, description = "unavailable: the database does not answer", body = ErrorBody),
))]
pub async fn readyz(State(state): State<AppState>) -> ApiResult<axum::Json<Health>> {
    state.store.user_count().await?;
    Ok(axum::Json(Health { status: "ready".into() }))
}

fn leaf(key: &str, en: &str, ar: &str, action: Option<&str>) -> ServiceNode {
    ServiceNode {
        key: key.into(),
        title_ar: ar.into(),
        title_en: en.into(),
        children: None,
        available: Some(action.is_some()),
        action: action.map(Into::into),
    }
}

fn group(key: &str, en: &str, ar: &str, children: Vec<ServiceNode>) -> ServiceNode {
    ServiceNode {
        key: key.into(),
        title_ar: ar.into(),
        title_en: en.into(),
        children: Some(children),
        available: None,
        action: None,
    }
}

/// The My Services tree as the portal arranges it; only the balance inquiry is served here.
pub fn services_tree() -> Vec<ServiceNode> {
    vec![
        group(
            "inquiries",
            "Inquiries",
            "الاستعلامات",
            vec![group(
                "general_services",
                "General Services",
                "الخدمات العامة",
                vec![
                    leaf(
                        "payments_balance",
                        "Query Available Funds",
                        "الاستعلام عن رصيد مدفوعات الخدمات المتبقي",
                        Some("payments_balance"),
                    ),
                    leaf("traffic_violations", "Traffic Violations", "الاستعلام عن المخالفات المرورية", None),
                    leaf("iqama_validity", "Iqama Validity", "الاستعلام عن صلاحية الإقامة", None),
                    leaf("visa_validity", "Visa Validity", "الاستعلام عن صلاحية تأشيرة", None),
                ],
            )],
        ),
        group(
            "passports",
            "Passports",
            "الجوازات",
            vec![
                leaf("exit_reentry", "Issue Exit Re-entry Visa", "إصدار تأشيرة خروج وعودة", None),
                leaf("iqama_renewal", "Renew Iqama", "تجديد الإقامة", None),
            ],
        ),
        group(
            "traffic",
            "Traffic",
            "المرور",
            vec![
                leaf("licence_renewal", "Renew Driving Licence", "تجديد رخصة القيادة", None),
                leaf("istimara_renewal", "Renew Vehicle Registration", "تجديد رخصة سير", None),
            ],
        ),
    ]
}

/// The My Services tree.
#[utoipa::path(get, path = "/api/v1/services", tag = "inquiry", security(("bearer" = [])),
    responses(
        (status = 200, description = "Top-level nodes", body = Vec<ServiceNode>),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    ))]
pub async fn services(_user: AuthUser) -> axum::Json<Vec<ServiceNode>> {
    axum::Json(services_tree())
}

/// The ID numbers this user may inquire: self first, then family and workers.
#[utoipa::path(get, path = "/api/v1/me/people", tag = "inquiry", security(("bearer" = [])),
    responses(
        (status = 200, description = "People", body = Vec<LinkedPerson>),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    ))]
pub async fn my_people(State(state): State<AppState>, user: AuthUser) -> ApiResult<axum::Json<Vec<LinkedPerson>>> {
    Ok(axum::Json(state.store.linked_people(user.user_id).await?))
}

pub(super) fn parse_id(text: &str) -> ApiResult<IdNumber> {
    if text.chars().count() > 64 {
        return Err(ApiError::new(ErrorCode::InvalidId));
    }
    IdNumber::parse(text).map_err(|e| ApiError::with_message(ErrorCode::InvalidId, capitalise(&e.to_string())))
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// 403 for any ID outside the user's people, whether or not it exists. (A linked ID
/// always has a record: the schema's foreign key sees to it, so 404 cannot follow.)
pub(super) async fn authorized_subject(state: &AppState, user: &AuthUser, id: &IdNumber) -> ApiResult<Person> {
    state.store.linked_person(user.user_id, id.as_str()).await?.ok_or_else(|| refused(user))
}

/// The same answer for an ID that exists and one that does not.
fn refused(user: &AuthUser) -> ApiError {
    tracing::info!(user_id = user.user_id, "inquiry refused: not one of the user's people");
    ApiError::new(ErrorCode::NotAuthorized)
}

/// What money is held per sector for an ID, with totals.
#[utoipa::path(post, path = "/api/v1/inquiries/payments-balance", tag = "inquiry", security(("bearer" = [])),
    request_body = InquiryRequest,
    responses(
        (status = 200, description = "Balances per sector", body = BalanceReport),
        (status = 400, description = "invalid_id, captcha_invalid or bad_request", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "not_authorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    ))]
pub async fn payments_balance(
    State(state): State<AppState>,
    client: ClientAddr,
    user: AuthUser,
    ApiJson(req): ApiJson<InquiryRequest>,
) -> ApiResult<axum::Json<BalanceReport>> {
    // The ID is checked first so a typo does not burn the image code.
    let id = parse_id(&req.id_number)?;
    consume_captcha(&state, client.ip(), &req.captcha_id, &req.captcha_answer).await?;
    let subject = authorized_subject(&state, &user, &id).await?;
    let ledger = state.store.balances(id.as_str()).await?;
    let balances = ledger
        .sectors()
        .map(|(sector, b)| SectorBalance {
            sector,
            paid: b.paid,
            used: b.used,
            refunded: b.refunded,
            available: b.available(),
        })
        .collect();
    let (total, available) = ledger.totals();
    Ok(axum::Json(BalanceReport {
        subject,
        as_of: state.clock.riyadh_now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        balances,
        totals: Totals { paid: total.paid, used: total.used, refunded: total.refunded, available },
    }))
}

fn parse_day(text: Option<&str>, name: &str) -> ApiResult<Option<String>> {
    text.map(|t| {
        crate::domain::day::parse_day(t.trim()).map(|d| d.format("%Y-%m-%d").to_string()).ok_or_else(|| {
            ApiError::with_message(ErrorCode::BadRequest, format!("`{name}` must be a date like 2026-11-25."))
        })
    })
    .transpose()
}

/// `from` and `to`, refused when `from` comes after `to`: such a range holds nothing, and an empty
/// answer would read as "no transactions" rather than as the typing slip it is.
fn parse_range(from: Option<&str>, to: Option<&str>) -> ApiResult<(Option<String>, Option<String>)> {
    let (from, to) = (parse_day(from, "from")?, parse_day(to, "to")?);
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        return Err(ApiError::with_message(ErrorCode::BadRequest, format!("`from` ({f}) is after `to` ({t}).")));
    }
    Ok((from, to))
}

/// About what one transaction takes in JSON, both service names included.
const BYTES_PER_TRANSACTION: usize = 384;

fn to_transaction(row: TxRow) -> Transaction {
    let (service_ar, service_en) = match services::find(&row.service_code) {
        Some(s) => (Cow::Borrowed(s.title_ar), Cow::Borrowed(s.title_en)),
        None => (Cow::Owned(row.service_code.clone()), Cow::Owned(row.service_code.clone())),
    };
    Transaction {
        id: row.id,
        date: row.date,
        sector: row.sector,
        service_ar,
        service_en,
        service_code: row.service_code,
        kind: row.kind,
        amount: Money::from_halalas(row.amount),
        beneficiary_id: row.beneficiary_id,
        reference: row.reference,
        status: TxStatus::Settled,
    }
}

/// Past transactions, newest first unless sorted otherwise, a page at a time.
#[utoipa::path(get, path = "/api/v1/people/{id}/transactions", tag = "inquiry", security(("bearer" = [])),
    params(("id" = String, Path, description = "ID or iqama number"), TransactionsQuery),
    responses(
        (status = 200, description = "One page", body = TransactionPage),
        (status = 400, description = "invalid_id, or bad_request (also a bad `at`, `at` with an amount sort or with a \
            cursor, and a text search over more transactions than the server reads for one: the message says how to \
            narrow it)", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "not_authorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    ))]
pub async fn transactions(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<TransactionsQuery>,
) -> ApiResult<SizedJson<TransactionPage>> {
    let id = parse_id(&id)?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::with_message(ErrorCode::BadRequest, format!("`limit` must be 1 to {MAX_PAGE}.")));
    }
    let sort = query.sort.unwrap_or_default();
    let start = match (query.cursor.as_deref(), parse_day(query.at.as_deref(), "at")?) {
        (Some(_), Some(_)) => {
            return Err(ApiError::with_message(ErrorCode::BadRequest, "`at` and `cursor` cannot be used together."));
        }
        (None, Some(_)) if !sort.by_date() => {
            return Err(ApiError::with_message(
                ErrorCode::BadRequest,
                "`at` needs a date sort (`date_desc` or `date_asc`).",
            ));
        }
        (None, Some(day)) => Start::Day(day),
        (Some(cursor), None) => history::decode(cursor, sort)?,
        (None, None) => Start::First,
    };
    let text = query.q.as_deref().map(normalize_digits).filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(ApiError::with_message(ErrorCode::BadRequest, "`q` is too long."));
    }
    let (from, to) = parse_range(query.from.as_deref(), query.to.as_deref())?;
    let filter = TxFilter {
        sector: query.sector,
        kind: query.kind,
        from,
        to,
        text_codes: text.as_deref().map(services::matching).unwrap_or_default(),
        text: text.clone(),
    };
    let page = match history::page(&state.store, user.user_id, id.as_str(), &filter, sort, start, limit).await {
        Ok(page) => page,
        Err(Refusal::NotLinked) => return Err(refused(&user)),
        Err(Refusal::TooBroad(too_broad)) => {
            return Err(ApiError::with_message(ErrorCode::BadRequest, too_broad_message(&too_broad)));
        }
        Err(Refusal::Api(e)) => return Err(e),
    };
    let expected_bytes = 256 + page.rows.len() * BYTES_PER_TRANSACTION;
    let items = page.rows.into_iter().map(to_transaction).collect();
    Ok(SizedJson {
        value: TransactionPage {
            items,
            next_cursor: page.next_cursor,
            prev_cursor: page.prev_cursor,
            total_count: page.total,
            position: page.position,
        },
        expected_bytes,
    })
}

/// What a refused text search says: how far over it is and the filter that brings it within reach.
fn too_broad_message(t: &TooBroad) -> String {
    let how = match &t.from {
        Some(from) => format!("add `from={from}` (or a later day), or a `sector` or `kind` that leaves fewer"),
        None => "narrow the dates with `from` and `to`, or add a `sector` or `kind`".to_owned(),
    };
    format!(
        "Text search (`q`) reads at most {} transactions, and these filters leave {} to read: {how}.",
        crate::domain::money::grouped(t.limit),
        crate::domain::money::grouped(t.rows)
    )
}

/// A period as (year, month); month 0 for whole years.
type PeriodKey = (i32, u32);

fn next_period(key: PeriodKey) -> PeriodKey {
    match key {
        (y, 0) => (y + 1, 0),
        (y, 12) => (y + 1, 1),
        (y, m) => (y, m + 1),
    }
}

fn period_of(date: NaiveDate, by: SpendingPeriod) -> Option<PeriodKey> {
    match by {
        SpendingPeriod::Month => Some((date.year(), date.month())),
        SpendingPeriod::Year => Some((date.year(), 0)),
        SpendingPeriod::HijriMonth => HijriDate::from_gregorian(date).map(|h| (h.year, u32::from(h.month))),
    }
}

fn period_label((year, month): PeriodKey) -> String {
    if month == 0 { format!("{year:04}") } else { format!("{year:04}-{month:02}") }
}

/// What services used per period, gaps filled with zero so a chart's axis is even.
#[utoipa::path(get, path = "/api/v1/people/{id}/spending", tag = "inquiry", security(("bearer" = [])),
    params(("id" = String, Path, description = "ID or iqama number"), SpendingQuery),
    responses(
        (status = 200, description = "Spending series, oldest first", body = Spending),
        (status = 400, description = "invalid_id or bad_request", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "not_authorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    ))]
pub async fn spending(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SpendingQuery>,
) -> ApiResult<axum::Json<Spending>> {
    let id = parse_id(&id)?;
    let by = query.by.unwrap_or_default();
    let (from, to) = parse_range(query.from.as_deref(), query.to.as_deref())?;
    authorized_subject(&state, &user, &id).await?;
    let days = state.store.daily_usage(id.as_str(), query.sector, from.as_deref(), to.as_deref()).await?;
    let mut sums: Vec<(PeriodKey, Money)> = Vec::new();
    for (day, used) in days {
        let Some(key) = day.parse::<NaiveDate>().ok().and_then(|d| period_of(d, by)) else {
            continue;
        };
        match sums.last_mut() {
            Some((last, total)) if *last == key => *total += used,
            _ => sums.push((key, used)),
        }
    }
    let mut series = Vec::with_capacity(sums.len());
    for (key, spent) in sums {
        while let Some(gap) = series.last().map(|(k, _)| next_period(*k)).filter(|next| *next < key) {
            series.push((gap, Money::ZERO));
        }
        series.push((key, spent));
    }
    Ok(axum::Json(Spending {
        series: series.into_iter().map(|(k, spent)| SpendingPoint { period: period_label(k), spent }).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_numbers_and_the_narrower_filter() {
        let with_day = TooBroad { rows: 1_134_682, limit: 100_000, from: Some("2025-11-02".into()) };
        assert_eq!(
            too_broad_message(&with_day),
            "Text search (`q`) reads at most 100,000 transactions, and these filters leave 1,134,682 to read: \
             add `from=2025-11-02` (or a later day), or a `sector` or `kind` that leaves fewer."
        );
        let without = TooBroad { rows: 999, limit: 10, from: None };
        assert!(too_broad_message(&without).contains("at most 10 transactions, and these filters leave 999"));
        assert_eq!(crate::domain::money::grouped(0), "0");
        assert_eq!(crate::domain::money::grouped(100_000), "100,000");
    }

    #[test]
    fn periods_step_over_year_ends() {
        assert_eq!(next_period((2025, 12)), (2026, 1));
        assert_eq!(next_period((2025, 0)), (2026, 0));
        assert_eq!(period_label((1448, 6)), "1448-06");
        assert_eq!(period_label((2026, 0)), "2026");
    }

    #[test]
    fn services_tree_offers_only_the_balance_inquiry() {
        fn leaves(nodes: &[ServiceNode], out: &mut Vec<ServiceNode>) {
            for n in nodes {
                match &n.children {
                    Some(children) => leaves(children, out),
                    None => out.push(n.clone()),
                }
            }
        }
        let mut all = Vec::new();
        leaves(&services_tree(), &mut all);
        let available: Vec<_> = all.iter().filter(|l| l.available == Some(true)).collect();
        assert_eq!(available.len(), 1);
        assert_eq!(available[0].action.as_deref(), Some("payments_balance"));
    }
}
