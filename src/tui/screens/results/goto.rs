//! The day typed after `g`: Gregorian `2025-03-14`, or Hijri (Umm al-Qura) with an `h`
//! in front, `h1446-09-01`; Eastern Arabic and Persian digits as well as Western ones.

use chrono::NaiveDate;

use crate::domain::HijriDate;
use crate::domain::day;
use crate::domain::id_number::normalize_digits;

/// The Gregorian day a typed date names; `None` for anything that is not a real day.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = normalize_digits(text.trim());
    // `هـ` is how a Hijri date is marked in Arabic; `h` where the keyboard is Latin.
    let hijri = ["h", "H", "هـ", "ه"].iter().find_map(|mark| text.strip_prefix(mark));
    match hijri {
        Some(rest) => hijri_day(rest.trim())?.to_gregorian(),
        None => day::parse_day(&text),
    }
}

/// `YYYY-MM-DD` read as a Hijri date, whether or not the calendar has that day.
fn hijri_day(text: &str) -> Option<HijriDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return None };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return None;
    }
    Some(HijriDate { year: year.parse().ok()?, month: month.parse().ok()?, day: day.parse().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gregorian_and_hijri_days_in_any_digits() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_day("2025-03-14"), d(2025, 3, 14));
        assert_eq!(parse_day(" ٢٠٢٥-٠٣-١٤ "), d(2025, 3, 14));
        // 15 Jumada al-Akhirah 1448 is 2026-11-25 (domain-facts.md).
        assert_eq!(parse_day("h1448-06-15"), d(2026, 11, 25));
        assert_eq!(parse_day("H1448-06-15"), d(2026, 11, 25));
        assert_eq!(parse_day("h١٤٤٨-٠٦-١٥"), d(2026, 11, 25));
        assert_eq!(parse_day("هـ1448-06-15"), d(2026, 11, 25));
        // A 30th where the month has one, whatever the Gregorian month of that number could hold.
        let thirtieth =
            (1..=12).map(|m| HijriDate { year: 1446, month: m, day: 30 }).find(|h| h.to_gregorian().is_some());
        let h = thirtieth.expect("a month of 30 days in 1446");
        assert_eq!(parse_day(&format!("h1446-{:02}-30", h.month)), h.to_gregorian());
        for bad in ["", "h", "yesterday", "2025-02-30", "2025-1-1", "h1446-13-01", "h1448-06-31", "x2025-03-14"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
