//! Saudi riyals held exactly as integer halalas (1 SAR = 100 halalas).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount is written like 650 or 1,250.75")]
    Malformed,
    #[error("an amount has at most two decimals (halalas)")]
    TooManyDecimals,
    #[error("the amount is too large")]
    Overflow,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_halalas(halalas: i64) -> Self {
        Money(halalas)
    }

    pub const fn from_riyals(riyals: i64) -> Self {
        Money(riyals * 100)
    }

    pub const fn halalas(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Parses "650", "650.5", "650.00", "1,250.75" (grouping commas optional) and a leading '-'.
    ///
    /// ```
    /// use rasid::domain::Money;
    /// let fee = Money::parse("1,250.75").unwrap();
    /// assert_eq!(fee.halalas(), 125_075);
    /// assert_eq!(fee.to_grouped(), "1,250.75");
    /// assert_eq!(fee.to_plain(), "1250.75");
    /// ```
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let text = text.trim();
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        if whole.is_empty() || !valid_grouping(whole) {
            return Err(MoneyError::Malformed);
        }
        let mut riyals: i64 = 0;
        for c in whole.chars().filter(|&c| c != ',') {
            let d = i64::from(c.to_digit(10).ok_or(MoneyError::Malformed)?);
            riyals = riyals.checked_mul(10).and_then(|r| r.checked_add(d)).ok_or(MoneyError::Overflow)?;
        }
        let halalas = match frac {
            None => 0,
            Some(f) if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) => {
                return Err(MoneyError::Malformed);
            }
            Some(f) if f.len() > 2 => return Err(MoneyError::TooManyDecimals),
            Some(f) => {
                let v: i64 = f.parse().map_err(|_| MoneyError::Malformed)?;
                if f.len() == 1 { v * 10 } else { v }
            }
        };
        let total = riyals.checked_mul(100).and_then(|r| r.checked_add(halalas)).ok_or(MoneyError::Overflow)?;
        Ok(Money(if negative { -total } else { total }))
    }

    /// Plain form for the wire and files: "1250.75".
    pub fn to_plain(self) -> String {
        format!("{self}")
    }

    /// Grouped form for people: "1,250.75".
    pub fn to_grouped(self) -> String {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", grouped(abs / 100), abs % 100)
    }
}

/// 1234567 → "1,234,567".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Commas, when present, must separate groups of exactly three digits.
fn valid_grouping(whole: &str) -> bool {
    if !whole.contains(',') {
        return true;
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first_ok = matches!(groups[0].len(), 1..=3);
    first_ok && groups[1..].iter().all(|g| g.len() == 3)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl std::str::FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// On the wire an amount is a string with two decimals, never a JSON number.
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_grouped() {
        let m = Money::parse("1,250.75").unwrap();
        assert_eq!(m.halalas(), 125_075);
        assert_eq!(m.to_grouped(), "1,250.75");
        assert_eq!(m.to_plain(), "1250.75");
        assert_eq!(Money::parse("51.75").unwrap().halalas(), 5175);
        assert_eq!(Money::parse("103.5").unwrap().halalas(), 10350);
        assert_eq!(Money::parse("650").unwrap().to_string(), "650.00");
        assert_eq!(Money::from_riyals(1_000_000).to_grouped(), "1,000,000.00");
        assert_eq!(Money::from_halalas(-5).to_grouped(), "-0.05");
    }

    #[test]
    fn rejects_malformed_amounts() {
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        for bad in ["", ".5", "12,34.00", "1..2", "abc", "1.", "1,2345"] {
            assert_eq!(Money::parse(bad), Err(MoneyError::Malformed), "{bad:?}");
        }
        assert_eq!(Money::parse("99999999999999999999"), Err(MoneyError::Overflow));
    }

    #[test]
    fn wire_form_is_a_string_with_two_decimals() {
        let json = serde_json::to_string(&Money::from_halalas(65000)).unwrap();
        assert_eq!(json, "\"650.00\"");
        let back: Money = serde_json::from_str("\"51.75\"").unwrap();
        assert_eq!(back.halalas(), 5175);
        assert!(serde_json::from_str::<Money>("51.75").is_err());
    }

    proptest! {
        #[test]
        fn grouped_and_plain_round_trip(h in -10_000_000_000_000i64..10_000_000_000_000) {
            let m = Money::from_halalas(h);
            prop_assert_eq!(Money::parse(&m.to_grouped()), Ok(m));
            prop_assert_eq!(Money::parse(&m.to_plain()), Ok(m));
        }
    }
}
