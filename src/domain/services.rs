//! The government services whose fees appear in a history, with their sector
//! and the fee from public sources (domain-facts.md).

use super::{Money, Sector};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    pub code: &'static str,
    pub sector: Sector,
    pub title_en: &'static str,
    pub title_ar: &'static str,
    /// The usual fee; fines vary and carry their lowest amount here.
    pub fee: Money,
}

const fn svc(
    code: &'static str,
    sector: Sector,
    title_en: &'static str,
    title_ar: &'static str,
    halalas: i64,
) -> Service {
    Service { code, sector, title_en, title_ar, fee: Money::from_halalas(halalas) }
}

pub const CATALOG: &[Service] = &[
    svc(
        "passport_issue_5y",
        Sector::Passports,
        "Saudi passport issue (5 years)",
        "إصدار جواز سفر سعودي (5 سنوات)",
        30_000,
    ),
    svc(
        "passport_issue_10y",
        Sector::Passports,
        "Saudi passport issue (10 years)",
        "إصدار جواز سفر سعودي (10 سنوات)",
        60_000,
    ),
    svc(
        "exit_reentry_single",
        Sector::Passports,
        "Exit re-entry visa, single (2 months)",
        "تأشيرة خروج وعودة مفردة (شهران)",
        20_000,
    ),
    svc(
        "exit_reentry_multiple",
        Sector::Passports,
        "Exit re-entry visa, multiple (3 months)",
        "تأشيرة خروج وعودة متعددة (3 أشهر)",
        50_000,
    ),
    svc("iqama_renewal_1y", Sector::Passports, "Iqama renewal (1 year)", "تجديد الإقامة (سنة)", 65_000),
    svc("iqama_renewal_3m", Sector::Passports, "Iqama renewal (3 months)", "تجديد الإقامة (3 أشهر)", 16_300),
    svc(
        "dependent_fee_quarter",
        Sector::Passports,
        "Dependant fee (one dependant, 3 months)",
        "المقابل المالي للمرافقين (مرافق واحد، 3 أشهر)",
        120_000,
    ),
    svc(
        "domestic_iqama_1y",
        Sector::Sponsorees,
        "Domestic worker iqama renewal (1 year)",
        "تجديد إقامة عامل منزلي (سنة)",
        60_000,
    ),
    svc(
        "licence_renewal_10y",
        Sector::DrivingLicence,
        "Driving licence renewal (10 years)",
        "تجديد رخصة القيادة (10 سنوات)",
        40_000,
    ),
    svc(
        "licence_renewal_late",
        Sector::DrivingLicence,
        "Driving licence renewal, late (1 year)",
        "تجديد رخصة القيادة متأخر (سنة)",
        10_000,
    ),
    svc(
        "istimara_renewal_1y",
        Sector::Vehicles,
        "Istimara renewal, private car (1 year)",
        "تجديد رخصة السير، سيارة خاصة (سنة)",
        10_000,
    ),
    svc("ownership_transfer", Sector::Vehicles, "Vehicle ownership transfer", "نقل ملكية مركبة", 15_000),
    svc("plate_replacement", Sector::Vehicles, "Plate replacement", "بدل لوحات", 10_000),
    svc("speeding_fine", Sector::Vehicles, "Speeding fine", "مخالفة تجاوز السرعة", 15_000),
    svc("red_light_fine", Sector::Vehicles, "Red-light fine", "مخالفة قطع الإشارة", 300_000),
    svc(
        "portal_iqama_renewal",
        Sector::Labour,
        "Business portal: iqama renewal fee (incl. VAT)",
        "رسوم خدمة تجديد الإقامة عبر أعمال (شامل الضريبة)",
        5_175,
    ),
    svc(
        "portal_reentry_extension",
        Sector::Labour,
        "Business portal: re-entry extension fee (incl. VAT)",
        "رسوم تمديد تأشيرة الخروج والعودة عبر أعمال (شامل الضريبة)",
        10_350,
    ),
    svc(
        "portal_final_exit",
        Sector::Labour,
        "Business portal: final exit fee (incl. VAT)",
        "رسوم الخروج النهائي عبر أعمال (شامل الضريبة)",
        7_000,
    ),
];

pub fn find(code: &str) -> Option<&'static Service> {
    CATALOG.iter().find(|s| s.code == code)
}

/// Codes whose code or title contains `needle`, for text search: case-insensitive, and in Arabic
/// with the letters people type interchangeably taken as one (see [`folded`]).
pub fn matching(needle: &str) -> Vec<&'static str> {
    let needle = folded(needle);
    CATALOG
        .iter()
        .filter(|s| {
            s.code.contains(&needle) || folded(s.title_en).contains(&needle) || folded(s.title_ar).contains(&needle)
        })
        .map(|s| s.code)
        .collect()
}

/// Lower case, and Arabic as search engines fold it: alef with hamza or madda as bare alef, taa
/// marbuta as haa, alef maksura as yaa, hamza on waw or yaa as the bare letter, and no short
/// vowels or tatweel. Most people type `اقامة` for `إقامة`.
pub fn folded(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ة' => 'ه',
            'ى' | 'ئ' => 'ي',
            'ؤ' => 'و',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_titles_match_as_people_type_them() {
        let iqama = matching("إقامة");
        assert!(iqama.contains(&"iqama_renewal_1y"), "{iqama:?}");
        for typed in ["اقامة", "اقامه", "إقَامة"] {
            assert_eq!(matching(typed), iqama, "{typed}");
        }
        assert_eq!(matching("IQAMA"), matching("iqama"));
    }

    #[test]
    fn codes_are_unique_and_fees_match_public_figures() {
        for (i, a) in CATALOG.iter().enumerate() {
            assert!(CATALOG[i + 1..].iter().all(|b| b.code != a.code), "{}", a.code);
        }
        assert_eq!(find("exit_reentry_single").unwrap().fee, Money::from_riyals(200));
        assert_eq!(find("iqama_renewal_1y").unwrap().fee, Money::from_riyals(650));
        assert_eq!(find("portal_iqama_renewal").unwrap().fee.to_string(), "51.75");
    }

    #[test]
    fn search_finds_arabic_and_english_titles() {
        assert!(matching("re-entry").contains(&"exit_reentry_single"));
        assert!(matching("الإقامة").contains(&"iqama_renewal_1y"));
        assert!(matching("zzz").is_empty());
    }
}
