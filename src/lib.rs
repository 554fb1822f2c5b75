//! rasid (رصيد): a terminal client for the payments-balance inquiry, and the
//! open reference server behind it.

pub mod api;
pub mod cli;
pub mod client;
pub mod config;
pub mod domain;
pub mod fsutil;
pub mod plain;
pub mod present;
pub mod server;
pub mod tui;
