//! The establishment: every worker's money at once, documents, and renewals due.

use axum::extract::State;
use base64::Engine;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::AuthUser;
use super::error::{ApiError, ApiPath, ApiQuery, ApiResult, SizedJson};
use super::inquiry::{authorized_subject, parse_id};
use super::store::{RenewalAfter, RenewalRow, SortKey, WorkerBound, WorkerFilter, WorkerRow};
use crate::api::{
    Document, ErrorBody, ErrorCode, MAX_PAGE_LIMIT, MAX_WITHIN_DAYS, RenewalDue, RenewalsPage, RenewalsQuery,
    SectorAmounts, Totals, WorkerMoney, WorkerSort, WorkersQuery, WorkersReport,
};
use crate::domain::documents::days_left;
use crate::domain::id_number::normalize_digits;
use crate::domain::{DocumentKind, HijriDate, Money, PersonKind, Renewal};

const DEFAULT_PAGE: u32 = 100;
const DEFAULT_WITHIN_DAYS: u32 = 90;
const MAX_QUERY_CHARS: usize = 100;
const MAX_CURSOR_CHARS: usize = 512;

/// The reports are for whoever has workers; anyone else learns nothing from them.
fn not_an_owner(user: &AuthUser) -> ApiError {
    tracing::info!(user_id = user.user_id, "establishment report refused: the user has no workers");
    ApiError::with_message(ErrorCode::NotAuthorized, "Only an establishment with workers has this report.")
}

fn page_limit(limit: Option<u32>) -> ApiResult<u32> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(ApiError::with_message(ErrorCode::BadRequest, format!("`limit` must be 1 to {MAX_PAGE_LIMIT}.")));
    }
    Ok(limit)
}

fn bad_cursor() -> ApiError {
    ApiError::with_message(ErrorCode::BadRequest, "The cursor is not valid for this query.")
}

fn encode<T: Serialize>(cursor: &T) -> String {
    let json = serde_json::to_vec(cursor).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> ApiResult<T> {
    if text.len() > MAX_CURSOR_CHARS {
        return Err(bad_cursor());
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).map_err(|_| bad_cursor())?;
    serde_json::from_slice(&bytes).map_err(|_| bad_cursor())
}

/// The opaque cursor of the workers' report: the sort, a worker's key, and which way to walk.
#[derive(Debug, Serialize, Deserialize)]
struct WorkerCursor {
    s: WorkerSort,
    /// Walk back: the page before this worker.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    b: bool,
    k: SortKey,
    i: String,
}

fn worker_cursor(sort: WorkerSort, row: &WorkerRow, backwards: bool) -> String {
    encode(&WorkerCursor { s: sort, b: backwards, k: row.key.clone(), i: row.id_number.clone() })
}

fn decode_worker_cursor(text: &str, sort: WorkerSort) -> ApiResult<WorkerBound> {
    let cursor: WorkerCursor = decode(text)?;
    let amount_sort = matches!(sort, WorkerSort::AvailableDesc | WorkerSort::AvailableAsc);
    let key_fits = matches!((&cursor.k, amount_sort), (SortKey::Int(_), true) | (SortKey::Text(_), false));
    if cursor.s != sort || !key_fits {
        return Err(bad_cursor());
    }
    Ok(WorkerBound { key: cursor.k, id_number: cursor.i, backwards: cursor.b })
}

fn to_worker(row: WorkerRow) -> WorkerMoney {
    let m = Money::from_halalas;
    WorkerMoney {
        kind: PersonKind::parse(&row.kind).unwrap_or(PersonKind::Resident),
        available: SectorAmounts {
            passports: m(row.available_passports),
            vehicles: m(row.available_vehicles),
            driving_licence: m(row.available_driving_licence),
            sponsorees: m(row.available_sponsorees),
            labour: m(row.available_labour),
        },
        totals: Totals { paid: m(row.paid), used: m(row.used), refunded: m(row.refunded), available: m(row.available) },
        id_number: row.id_number,
        name_ar: row.name_ar,
        name_en: row.name_en,
        last_payment_on: row.last_payment_on,
        oldest_unused_on: row.oldest_unused_on,
        iqama_expires_on: row.iqama_expires_on,
    }
}

/// About what one worker's line takes in JSON.
const BYTES_PER_WORKER: usize = 480;

/// Every worker of the establishment with the money held for them, from the kept sums (no image
/// code: it is a report, like the history). The sums cover every matching worker, not only the page.
#[utoipa::path(get, path = "/api/v1/establishment/workers", tag = "establishment", security(("bearer" = [])),
    params(WorkersQuery),
    responses(
        (status = 200, description = "One page of workers, with the sums over all that match", body = WorkersReport),
        (status = 400, description = "bad_request: a bad sort, limit, cursor or q", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "not_authorized: the user has no workers", body = ErrorBody),
    ))]
pub async fn workers(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(query): ApiQuery<WorkersQuery>,
) -> ApiResult<SizedJson<WorkersReport>> {
    let limit = page_limit(query.limit)?;
    let sort = query.sort.unwrap_or_default();
    let bound = query.cursor.as_deref().map(|c| decode_worker_cursor(c, sort)).transpose()?;
    let text = query.q.as_deref().map(|q| normalize_digits(q.trim()).to_lowercase()).filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(ApiError::with_message(ErrorCode::BadRequest, "`q` is too long."));
    }
    let filter = WorkerFilter { has_available: query.has_available.unwrap_or(false), text: text.clone() };
    let page = state.store.workers_page(user.user_id, &filter, sort, bound.as_ref(), limit + 1).await?;
    let Some((sums, mut rows)) = page else { return Err(not_an_owner(&user)) };
    let more = rows.len() > limit as usize;
    let backwards = bound.as_ref().is_some_and(|b| b.backwards);
    if backwards {
        // The row beyond the page lies before it.
        if more {
            rows.remove(0);
        }
    } else {
        rows.truncate(limit as usize);
    }
    let (first, last) = (rows.first(), rows.last());
    let (next_cursor, prev_cursor) = if backwards {
        (last.map(|r| worker_cursor(sort, r, false)), first.filter(|_| more).map(|r| worker_cursor(sort, r, true)))
    } else {
        (
            last.filter(|_| more).map(|r| worker_cursor(sort, r, false)),
            first.filter(|_| bound.is_some()).map(|r| worker_cursor(sort, r, true)),
        )
    };
    let expected_bytes = 256 + rows.len() * BYTES_PER_WORKER;
    let m = Money::from_halalas;
    Ok(SizedJson {
        value: WorkersReport {
            items: rows.into_iter().map(to_worker).collect(),
            next_cursor,
            prev_cursor,
            total_count: sums.count,
            sums: Totals {
                paid: m(sums.paid),
                used: m(sums.used),
                refunded: m(sums.refunded),
                available: m(sums.available),
            },
        },
        expected_bytes,
    })
}

fn hijri(date: NaiveDate) -> String {
    HijriDate::from_gregorian(date).map(|h| h.to_string()).unwrap_or_default()
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::domain::day::parse_day(text)
}

/// A person's documents: iqama, passport, driving licence, istimara, with their expiry in both calendars.
#[utoipa::path(get, path = "/api/v1/people/{id}/documents", tag = "establishment", security(("bearer" = [])),
    params(("id" = String, Path, description = "ID or iqama number")),
    responses(
        (status = 200, description = "The person's documents, by kind", body = Vec<Document>),
        (status = 400, description = "invalid_id", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "not_authorized", body = ErrorBody),
    ))]
pub async fn documents(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<Vec<Document>>> {
    let id = parse_id(&id)?;
    authorized_subject(&state, &user, &id).await?;
    let today = state.clock.today();
    let mut docs: Vec<Document> = state
        .store
        .documents(id.as_str())
        .await?
        .into_iter()
        .filter_map(|(kind, number, expires_on)| {
            let date = parse_date(&expires_on)?;
            Some(Document {
                kind: DocumentKind::parse(&kind)?,
                number,
                expires_on_hijri: hijri(date),
                days_left: days_left(date, today),
                expires_on,
            })
        })
        .collect();
    docs.sort_by(|a, b| (a.kind, &a.number).cmp(&(b.kind, &b.number)));
    Ok(axum::Json(docs))
}

/// The opaque cursor of the renewals: the last document's expiry, holder, kind and number.
#[derive(Debug, Serialize, Deserialize)]
struct RenewalCursor {
    e: String,
    i: String,
    k: String,
    n: String,
}

fn to_renewal(row: RenewalRow, today: NaiveDate) -> Option<RenewalDue> {
    let document = DocumentKind::parse(&row.kind)?;
    let expires = parse_date(&row.expires_on)?;
    let renewal = Renewal::next_for(document, &row.renewed_by)?;
    let held = SectorAmounts {
        passports: Money::from_halalas(row.available_passports),
        vehicles: Money::from_halalas(row.available_vehicles),
        driving_licence: Money::from_halalas(row.available_driving_licence),
        sponsorees: Money::from_halalas(row.available_sponsorees),
        labour: Money::from_halalas(row.available_labour),
    };
    let (fee, sector) = (renewal.fee(), renewal.sector());
    let available_in_sector = held.get(sector);
    Some(RenewalDue {
        id_number: row.id_number,
        name_ar: row.name_ar,
        name_en: row.name_en,
        document,
        expires_on: row.expires_on,
        expires_on_hijri: hijri(expires),
        days_left: days_left(expires, today),
        fee,
        sector,
        available_in_sector,
        covered: available_in_sector >= fee,
    })
}

/// The workers' documents that ran out or run out within `within_days`, soonest first, with the
/// renewal's fee and whether the money held in its sector pays it.
#[utoipa::path(get, path = "/api/v1/establishment/renewals", tag = "establishment", security(("bearer" = [])),
    params(RenewalsQuery),
    responses(
        (status = 200, description = "One page of documents due, soonest first", body = RenewalsPage),
        (status = 400, description = "bad_request: a bad within_days, limit or cursor", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "not_authorized: the user has no workers", body = ErrorBody),
    ))]
pub async fn renewals(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(query): ApiQuery<RenewalsQuery>,
) -> ApiResult<axum::Json<RenewalsPage>> {
    let within = query.within_days.unwrap_or(DEFAULT_WITHIN_DAYS);
    if !(1..=MAX_WITHIN_DAYS).contains(&within) {
        return Err(ApiError::with_message(
            ErrorCode::BadRequest,
            format!("`within_days` must be 1 to {MAX_WITHIN_DAYS}."),
        ));
    }
    let limit = page_limit(query.limit)?;
    let after: Option<RenewalAfter> =
        query.cursor.as_deref().map(|c| decode::<RenewalCursor>(c).map(|c| (c.e, c.i, c.k, c.n))).transpose()?;
    let today = state.clock.today();
    let until = (today + Duration::days(i64::from(within))).format("%Y-%m-%d").to_string();
    let page = state.store.renewals_page(user.user_id, &until, after.as_ref(), limit + 1).await?;
    let Some((total_count, mut rows)) = page else { return Err(not_an_owner(&user)) };
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().filter(|_| more).map(|r| {
        encode(&RenewalCursor {
            e: r.expires_on.clone(),
            i: r.id_number.clone(),
            k: r.kind.clone(),
            n: r.number.clone(),
        })
    });
    let items = rows.into_iter().filter_map(|r| to_renewal(r, today)).collect();
    Ok(axum::Json(RenewalsPage { items, next_cursor, total_count }))
}
