//! What the full-screen app and the plain commands both show: the Fluent
//! strings, how amounts, dates and names read, what an error means to a
//! person, the export writers, and a picture drawn in block characters.
//! No terminal and no screen: text comes out clean, as a file or a screen
//! reader should get it; the app readies it for its own layout.

pub mod blocks;
pub mod errors;
pub mod export;
pub mod format;
pub mod reports;
pub mod strings;
