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
        crate::domain::Sector,
        crate::domain::TxKind
    )),
    tags(
        (name = "auth", description = "Image code, password, SMS code, session"),
        (name = "inquiry", description = "Services, people, balances, transactions, spending"),
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

/// The answers every operation can give before its handler runs (`hygiene::guard`): added to the
/// finished document, since the modifiers above run before the routes are in it.
pub fn add_limit_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let limits = [
        ("413", "payload_too_large: the declared body is larger than the server reads"),
        ("414", "bad_request: the path and query are too long"),
        ("431", "bad_request: too many or too large headers"),
    ];
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, description) in limits {
                let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
                let response = ResponseBuilder::new().description(description).content("application/json", body);
                operation.responses.responses.entry(status.to_owned()).or_insert_with(|| response.build().into());
            }
        }
    }
}
