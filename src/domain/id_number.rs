//! Saudi national ID and iqama numbers: ten digits, first digit 1 (citizen)
//! or 2 (resident), last digit a Luhn check digit over all ten.

use std::fmt;

pub const ID_LEN: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Citizen,
    Resident,
}

impl PersonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonKind::Citizen => "citizen",
            PersonKind::Resident => "resident",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "citizen" => Some(PersonKind::Citizen),
            "resident" => Some(PersonKind::Resident),
            _ => None,
        }
    }
}

/// Why a text is not an ID number. Each failure is its own variant so the
/// form can say exactly what is wrong while the user types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("the ID number is empty")]
    Empty,
    #[error("the ID number may contain digits only")]
    NotDigits,
    #[error("the ID number has {0} digits; it needs 10")]
    TooShort(usize),
    #[error("the ID number has {0} digits; it needs 10")]
    TooLong(usize),
    #[error("an ID number starts with 1 (citizen) or 2 (resident)")]
    BadFirstDigit,
    #[error("the check digit does not match: a digit is mistyped")]
    BadCheckDigit,
}

/// A valid ID number, held as its ten ASCII digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber([u8; ID_LEN]);

/// Maps ASCII, Eastern Arabic (U+0660..) and Persian (U+06F0..) digits to their value.
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Replaces Eastern Arabic and Persian digits with ASCII ones and trims
/// surrounding whitespace; other characters are kept so errors can name them.
pub fn normalize_digits(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match digit_value(c) {
            Some(d) => char::from(b'0' + d),
            None => c,
        })
        .collect()
}

/// Standard Luhn over all digits, the last one being the check digit.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The check digit that makes `first_nine` followed by it Luhn-valid.
pub fn check_digit(first_nine: &[u8; 9]) -> u8 {
    let mut all = [0u8; ID_LEN];
    all[..9].copy_from_slice(first_nine);
    (0..10)
        .find(|&d| {
            all[9] = d;
            luhn_valid(&all)
        })
        .unwrap_or(0)
}

impl IdNumber {
    /// Parses what a person typed: trims, accepts Eastern Arabic and Persian
    /// digits, then checks length, first digit and check digit, in that order.
    ///
    /// ```
    /// use rasid::domain::{IdError, IdNumber, PersonKind};
    /// let id = IdNumber::parse(" ١٠٥٨٥٢٩٩٤٠ ").unwrap();
    /// assert_eq!((id.as_str(), id.kind()), ("1058529940", PersonKind::Citizen));
    /// assert_eq!(IdNumber::parse("1000000000"), Err(IdError::BadCheckDigit));
    /// ```
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        let mut digits = Vec::with_capacity(ID_LEN);
        for c in trimmed.chars() {
            digits.push(digit_value(c).ok_or(IdError::NotDigits)?);
        }
        match digits.len() {
            n if n < ID_LEN => return Err(IdError::TooShort(n)),
            n if n > ID_LEN => return Err(IdError::TooLong(n)),
            _ => {}
        }
        if digits[0] != 1 && digits[0] != 2 {
            return Err(IdError::BadFirstDigit);
        }
        if !luhn_valid(&digits) {
            return Err(IdError::BadCheckDigit);
        }
        let mut out = [0u8; ID_LEN];
        for (o, d) in out.iter_mut().zip(&digits) {
            *o = b'0' + d;
        }
        Ok(IdNumber(out))
    }

    /// Builds a valid number from a kind and an 8-digit serial (used by the demo seed).
    pub fn from_serial(kind: PersonKind, serial: u32) -> Self {
        let mut nine = [0u8; 9];
        nine[0] = match kind {
            PersonKind::Citizen => 1,
            PersonKind::Resident => 2,
        };
        let mut s = serial % 100_000_000;
        for slot in nine[1..].iter_mut().rev() {
            *slot = (s % 10) as u8;
            s /= 10;
        }
        let check = check_digit(&nine);
        let mut out = [0u8; ID_LEN];
        for (o, d) in out.iter_mut().zip(nine.iter().chain(std::iter::once(&check))) {
            *o = b'0' + d;
        }
        IdNumber(out)
    }

    pub fn kind(&self) -> PersonKind {
        if self.0[0] == b'1' { PersonKind::Citizen } else { PersonKind::Resident }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.as_str())
    }
}

impl std::str::FromStr for IdNumber {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_vectors_from_domain_facts() {
        for valid in ["1058529940", "1001244019", "1000000008"] {
            assert!(IdNumber::parse(valid).is_ok(), "{valid} should be valid");
        }
        assert_eq!(IdNumber::parse("1000000000"), Err(IdError::BadCheckDigit));
    }

    #[test]
    fn demo_account_ids_are_valid() {
        for id in ["1057830869", "1271497099", "2134653555", "2495059764", "2717236737", "1400949291"] {
            assert!(IdNumber::parse(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn eastern_arabic_and_persian_digits_are_accepted() {
        let id = IdNumber::parse(" ١٠٠٠٠٠٠٠٠٨ ").unwrap();
        assert_eq!(id.as_str(), "1000000008");
        let id = IdNumber::parse("۱۰۰۰۰۰۰۰۰۸").unwrap();
        assert_eq!(id.as_str(), "1000000008");
    }

    #[test]
    fn each_failure_is_distinct() {
        assert_eq!(IdNumber::parse("   "), Err(IdError::Empty));
        assert_eq!(IdNumber::parse("10000a0008"), Err(IdError::NotDigits));
        assert_eq!(IdNumber::parse("100000"), Err(IdError::TooShort(6)));
        assert_eq!(IdNumber::parse("100000000080"), Err(IdError::TooLong(12)));
        assert_eq!(IdNumber::parse("3000000008"), Err(IdError::BadFirstDigit));
    }

    #[test]
    fn kind_follows_first_digit() {
        assert_eq!(IdNumber::parse("1058529940").unwrap().kind(), PersonKind::Citizen);
        assert_eq!(IdNumber::parse("2134653555").unwrap().kind(), PersonKind::Resident);
    }

    proptest! {
        #[test]
        fn from_serial_is_always_valid(serial in 0u32..100_000_000, citizen: bool) {
            let kind = if citizen { PersonKind::Citizen } else { PersonKind::Resident };
            let id = IdNumber::from_serial(kind, serial);
            prop_assert_eq!(IdNumber::parse(id.as_str()), Ok(id));
            prop_assert_eq!(id.kind(), kind);
        }

        #[test]
        fn changing_one_digit_breaks_the_check(serial in 0u32..100_000_000, pos in 1usize..10, delta in 1u8..10) {
            let id = IdNumber::from_serial(PersonKind::Citizen, serial);
            let mut bytes = id.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(IdNumber::parse(&changed), Err(IdError::BadCheckDigit));
        }

        #[test]
        fn exactly_one_check_digit_fits(serial in 0u32..100_000_000) {
            let id = IdNumber::from_serial(PersonKind::Resident, serial);
            let stem = &id.as_str()[..9];
            let valid = (0..10).filter(|d| IdNumber::parse(&format!("{stem}{d}")).is_ok()).count();
            prop_assert_eq!(valid, 1);
        }

        #[test]
        fn eastern_arabic_digits_parse_like_ascii(serial in 0u32..100_000_000) {
            let id = IdNumber::from_serial(PersonKind::Citizen, serial);
            let eastern: String = id.as_str().chars()
                .map(|c| char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap()).collect();
            prop_assert_eq!(IdNumber::parse(&eastern), Ok(id));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = IdNumber::parse(&s);
        }
    }
}
