//! The OpenAPI 3.1 document's frame; the paths come from the handlers themselves.

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "rasid API",
        description = "Payments-balance inquiry: what money is still held per sector, what was spent, and every past transaction.",
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    // Query parameters refer to these; the handlers' bodies register the rest.
    components(schemas(
        crate::api::SpendingPeriod,
        crate::api::TxSort,
        crate::api::WorkerSort,
        crate::domain::Sector,
        crate::domain::TxKind
    )),
    tags(
        (name = "auth", description = "Image code, password, SMS code, session"),
        (name = "inquiry", description = "Services, people, balances, transactions, spending"),
        (name = "establishment", description = "An establishment's workers: their money, documents and renewals due"),
        (name = "ops", description = "Health and development helpers")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Answers any operation can get from the layers in front of its handler, added
/// to each operation that does not describe them itself, so a generated client
/// knows every status the server can send. Runs on the finished document: the
/// paths exist only once the router has collected them.
pub fn add_common_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::Operation;
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build()
    };
    let add = |op: &mut Operation, status: &str, description: &str| {
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| error(description).into());
    };
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
        for op in ops.into_iter().flatten() {
            if op.request_body.is_some() {
                add(op, "400", "bad_request: the body is not the JSON this operation takes");
            }
            add(op, "413", "payload_too_large: the declared body is over 16 KiB (refused before it is read)");
            if op.security.is_some() {
                add(op, "401", "unauthenticated: no session, or it ended");
                add(op, "429", "rate_limited: too many of this user's requests at once (see Retry-After)");
            }
            add(op, "405", "method_not_allowed: the path does not take this method");
            add(op, "414", "bad_request: the path and query are longer than 8 KiB");
            add(op, "431", "bad_request: more than 100 headers, or more than 16 KiB of them");
            add(op, "500", "internal: the server failed");
            add(
                op,
                "503",
                "unavailable: the database is out of reach or busy, or the request outlived its 10 s deadline; try \
                 again after Retry-After",
            );
        }
    }
}
