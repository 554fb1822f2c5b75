//! One file a screen: its state, its key handling, its view.

pub mod inquiry;
pub mod login;
pub mod otp;
pub mod results;
pub mod services;
