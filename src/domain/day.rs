//! Calendar days as the API writes them: `YYYY-MM-DD`, Gregorian.

use chrono::NaiveDate;

/// A day written exactly `YYYY-MM-DD`. Stricter than chrono's `%Y-%m-%d`,
/// which also takes `25-01-01` (the year 25) and `2025-1-1`.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_iso_days_are_days() {
        assert_eq!(parse_day("2026-11-25"), NaiveDate::from_ymd_opt(2026, 11, 25));
        for bad in ["25-01-01", "2025-1-1", "2025/01/01", "2025-02-30", "yesterday", "2025-01-01T00", ""] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
