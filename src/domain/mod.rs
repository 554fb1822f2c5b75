//! Pure rules of the domain: no I/O, no HTTP, no SQL, no terminal.

pub mod day;
pub mod documents;
pub mod hijri;
pub mod id_number;
pub mod ledger;
pub mod money;
pub mod sector;
pub mod services;

pub use documents::{DocumentKind, Renewal};
pub use hijri::HijriDate;
pub use id_number::{IdError, IdNumber, PersonKind};
pub use ledger::{Entry, Ledger, SectorBalance, TxKind};
pub use money::{Money, MoneyError};
pub use sector::Sector;
