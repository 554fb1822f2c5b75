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
