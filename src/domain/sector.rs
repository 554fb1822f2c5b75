//! The five sectors of the real inquiry screen.

use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Passports,
    Vehicles,
    DrivingLicence,
    Sponsorees,
    Labour,
}

impl Sector {
    /// In the order the real screen lists them.
    pub const ALL: [Sector; 5] =
        [Sector::Passports, Sector::Vehicles, Sector::DrivingLicence, Sector::Sponsorees, Sector::Labour];

    pub fn code(self) -> &'static str {
        match self {
            Sector::Passports => "passports",
            Sector::Vehicles => "vehicles",
            Sector::DrivingLicence => "driving_licence",
            Sector::Sponsorees => "sponsorees",
            Sector::Labour => "labour",
        }
    }

    pub fn parse(code: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in Sector::ALL {
            assert_eq!(Sector::parse(s.code()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
        assert_eq!(Sector::parse("fines"), None);
    }
}
