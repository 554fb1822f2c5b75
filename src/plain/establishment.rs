//! `rasid workers`, `rasid renewals` and `rasid documents`: the establishment's
//! reports, every page fetched before anything is written, so a refusal leaves stdout empty.

use std::io::Write;

use super::{EXIT_NOT_AUTHORIZED, Failure, Plain, checked_id};
use crate::api::{ErrorCode, RenewalsQuery, WorkersQuery};
use crate::client::ClientResult;
use crate::present::export::Format;
use crate::present::reports;

impl Plain {
    pub async fn workers(&self, query: WorkersQuery, format: Format, out: &mut dyn Write) -> Result<(), Failure> {
        let saved = self.saved()?;
        let report = self.report(self.client.all_workers(&saved.token, query).await)?;
        reports::write_workers(self.lang, &report, format, out).map_err(|e| Failure::io(self.lang, e))
    }

    pub async fn renewals(&self, query: RenewalsQuery, format: Format, out: &mut dyn Write) -> Result<(), Failure> {
        let saved = self.saved()?;
        let page = self.report(self.client.all_renewals(&saved.token, query).await)?;
        reports::write_renewals(self.lang, &page, format, out).map_err(|e| Failure::io(self.lang, e))
    }

    pub async fn documents(&self, id_number: &str, format: Format, out: &mut dyn Write) -> Result<(), Failure> {
        let id = checked_id(self.lang, id_number)?;
        let saved = self.saved()?;
        let docs = self.answer(self.client.documents(&saved.token, &id).await)?;
        reports::write_documents(self.lang, &docs, format, out).map_err(|e| Failure::io(self.lang, e))
    }

    /// A report's answer: refused because the account has no workers, it says so, not that the
    /// person may inquire only about their people (no person was asked about).
    fn report<T>(&self, result: ClientResult<T>) -> Result<T, Failure> {
        match result {
            Err(err) if err.code() == Some(ErrorCode::NotAuthorized) => {
                Err(Failure::new(EXIT_NOT_AUTHORIZED, crate::present::strings::T::PlainNoWorkers.get(self.lang)))
            }
            other => self.answer(other),
        }
    }
}
