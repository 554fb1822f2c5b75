//! Every user-visible label and message comes from the Fluent files
//! `assets/i18n/en.ftl` and `assets/i18n/ar.ftl`, embedded in the binary.
//! `T` lists the messages the code asks for. The text is logical and clean:
//! what the app needs for its layout it adds itself.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::config::{Choice, Lang};

pub const EN_FTL: &str = include_str!("../../assets/i18n/en.ftl");
pub const AR_FTL: &str = include_str!("../../assets/i18n/ar.ftl");

macro_rules! texts {
    ($($key:ident => $id:literal;)*) => {
        /// A message of the Fluent files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];

            /// The message id in the Fluent files.
            pub fn id(self) -> &'static str {
                match self {
                    $(T::$key => $id,)*
                }
            }
        }
    };
}

texts! {
    AppName => "app-name";
    AppTitle => "app-title";
    Username => "username";
    Password => "password";
    ImageCode => "image-code";
    ImageCodeLoading => "image-code-loading";
    ImageCodeExpired => "image-code-expired";
    ImageCodeMissing => "image-code-missing";
    LoginButton => "login-button";
    LoginTitle => "login-title";
    DemoAccounts => "demo-accounts";
    DemoPassword => "demo-password";
    FieldRequired => "field-required";
    FieldFull => "field-full";
    CharNotAllowed => "char-not-allowed";
    OtpTitle => "otp-title";
    OtpSentTo => "otp-sent-to";
    OtpExpiresIn => "otp-expires-in";
    OtpResendLater => "otp-resend-later";
    OtpExpiredResend => "otp-expired-resend";
    OtpNeeds4 => "otp-needs-4";
    VerifyButton => "verify-button";
    DemoSms => "demo-sms";
    ServicesTitle => "services-title";
    NotAvailable => "not-available";
    ServiceNotAvailable => "service-not-available";
    Search => "search";
    NoMatch => "no-match";
    InquiryTitle => "inquiry-title";
    IdNumber => "id-number";
    ViewButton => "view-button";
    MyPeople => "my-people";
    PeopleMatching => "people-matching";
    PickSearchHint => "pick-search-hint";
    NoPersonMatches => "no-person-matches";
    KeyPickingChoose => "key-picking-choose";
    PickHint => "pick-hint";
    IdEmpty => "id-empty";
    IdNotDigits => "id-not-digits";
    IdTooShort => "id-too-short";
    IdTooLong => "id-too-long";
    IdBadFirst => "id-bad-first";
    IdBadCheck => "id-bad-check";
    IdCitizen => "id-citizen";
    IdResident => "id-resident";
    Citizen => "citizen";
    Resident => "resident";
    RelSelf => "rel-self";
    RelSpouse => "rel-spouse";
    RelChild => "rel-child";
    RelDomestic => "rel-domestic";
    RelWorker => "rel-worker";
    ResultsTitle => "results-title";
    AsOf => "as-of";
    Sector => "sector";
    Paid => "paid";
    Used => "used";
    Refunded => "refunded";
    Available => "available";
    Total => "total";
    Spent => "spent";
    SpentAllTime => "spent-all-time";
    SpentHijriYear => "spent-hijri-year";
    SpentLast12 => "spent-last-1-2";
    SpendingByMonth => "spending-by-month";
    NoSpending => "no-spending";
    Transactions => "transactions";
    Overview => "overview";
    Date => "date";
    Hijri => "hijri";
    Service => "service";
    Kind => "kind";
    Amount => "amount";
    Beneficiary => "beneficiary";
    Reference => "reference";
    Name => "name";
    Relation => "relation";
    Status => "status";
    Settled => "settled";
    KindPayment => "kind-payment";
    KindUsage => "kind-usage";
    KindRefund => "kind-refund";
    AllSectors => "all-sectors";
    AllTime => "all-time";
    Filter => "filter";
    NoTransactions => "no-transactions";
    NoTransactionsYet => "no-transactions-yet";
    LoadingMore => "loading-more";
    RowsOf => "rows-of";
    TransactionDetail => "transaction-detail";
    ExportPrompt => "export-prompt";
    Exporting => "exporting";
    Exported => "exported";
    ExportFailed => "export-failed";
    SortedBy => "sorted-by";
    HelpTitle => "help-title";
    HelpClose => "help-close";
    TooSmall => "too-small";
    Working => "working";
    ConfirmLogout => "confirm-logout";
    LoggedOut => "logged-out";
    SessionEnded => "session-ended";
    SessionRefused => "session-refused";
    SearchTooBroad => "search-too-broad";
    ErrCaptcha => "err-captcha";
    ErrCredentials => "err-credentials";
    ErrLocked => "err-locked";
    ErrRateLimited => "err-rate-limited";
    ErrOtpInvalid => "err-otp-invalid";
    ErrOtpLast => "err-otp-last";
    ErrOtpExpired => "err-otp-expired";
    ErrInvalidId => "err-invalid-id";
    ErrNotAuthorized => "err-not-authorized";
    ErrNotFound => "err-not-found";
    ErrUnreachable => "err-unreachable";
    ErrTimeout => "err-timeout";
    ErrBadResponse => "err-bad-response";
    ErrServer => "err-server";
    ErrBusy => "err-busy";
    ErrInsecureHttp => "err-insecure-http";
    ErrCertificate => "err-certificate";
    ErrBadAddress => "err-bad-address";
    BadAddressNotAnAddress => "bad-address-not-an-address";
    BadAddressNotHttp => "bad-address-not-http";
    BadAddressNoHost => "bad-address-no-host";
    BadAddressCredentials => "bad-address-credentials";
    BadAddressQuery => "bad-address-query";
    ErrRedirected => "err-redirected";
    SectorPassports => "sector-passports";
    SectorVehicles => "sector-vehicles";
    SectorDrivingLicence => "sector-driving-licence";
    SectorSponsorees => "sector-sponsorees";
    SectorLabour => "sector-labour";
    SectorShortPassports => "sector-short-passports";
    SectorShortVehicles => "sector-short-vehicles";
    SectorShortDrivingLicence => "sector-short-driving-licence";
    SectorShortSponsorees => "sector-short-sponsorees";
    SectorShortLabour => "sector-short-labour";
    HijriMonth1 => "hijri-month-1";
    HijriMonth2 => "hijri-month-2";
    HijriMonth3 => "hijri-month-3";
    HijriMonth4 => "hijri-month-4";
    HijriMonth5 => "hijri-month-5";
    HijriMonth6 => "hijri-month-6";
    HijriMonth7 => "hijri-month-7";
    HijriMonth8 => "hijri-month-8";
    HijriMonth9 => "hijri-month-9";
    HijriMonth10 => "hijri-month-10";
    HijriMonth11 => "hijri-month-11";
    HijriMonth12 => "hijri-month-12";
    HijriDate => "hijri-date";
    KeyGlobalHelp => "key-global-help";
    HelpGlobalHelp => "help-global-help";
    KeyGlobalQuit => "key-global-quit";
    HelpGlobalQuit => "help-global-quit";
    KeyGlobalLanguage => "key-global-language";
    HelpGlobalLanguage => "help-global-language";
    HelpGlobalBack => "help-global-back";
    KeyLoginNext => "key-login-next";
    HelpLoginNext => "help-login-next";
    KeyLoginSubmit => "key-login-submit";
    HelpLoginSubmit => "help-login-submit";
    KeyLoginImage => "key-login-image";
    HelpLoginImage => "help-login-image";
    KeyOtpSubmit => "key-otp-submit";
    HelpOtpSubmit => "help-otp-submit";
    KeyOtpResend => "key-otp-resend";
    HelpOtpResend => "help-otp-resend";
    KeyOtpBack => "key-otp-back";
    HelpOtpBack => "help-otp-back";
    KeyServicesMove => "key-services-move";
    HelpServicesMove => "help-services-move";
    KeyServicesOpen => "key-services-open";
    HelpServicesOpen => "help-services-open";
    KeyServicesSearch => "key-services-search";
    HelpServicesSearch => "help-services-search";
    KeyServicesLogout => "key-services-logout";
    HelpServicesLogout => "help-services-logout";
    KeySearchingStop => "key-searching-stop";
    HelpInquiryType => "help-inquiry-type";
    KeyInquirySubmit => "key-inquiry-submit";
    HelpInquirySubmit => "help-inquiry-submit";
    KeyInquiryPeople => "key-inquiry-people";
    HelpInquiryPeople => "help-inquiry-people";
    KeyInquiryImage => "key-inquiry-image";
    HelpInquiryBack => "help-inquiry-back";
    KeyResultsPane => "key-results-pane";
    HelpResultsPane => "help-results-pane";
    KeyResultsMove => "key-results-move";
    HelpResultsMove => "help-results-move";
    HelpReportMove => "help-report-move";
    KeyResultsSort => "key-results-sort";
    HelpResultsSort => "help-results-sort";
    KeyResultsFilter => "key-results-filter";
    HelpResultsFilter => "help-results-filter";
    KeyResultsSector => "key-results-sector";
    HelpResultsSector => "help-results-sector";
    KeyResultsYear => "key-results-year";
    HelpResultsYear => "help-results-year";
    KeyResultsDetail => "key-results-detail";
    HelpResultsDetail => "help-results-detail";
    KeyResultsExport => "key-results-export";
    HelpResultsExport => "help-results-export";
    HelpResultsBack => "help-results-back";
    KeyFilteringApply => "key-filtering-apply";
    KeyFilteringCancel => "key-filtering-cancel";
    KeyResultsGoTo => "key-results-goto";
    HelpResultsGoTo => "help-results-goto";
    KeyResultsHijriYear => "key-results-hijri-year";
    HelpResultsHijriYear => "help-results-hijri-year";
    HelpResultsDocuments => "help-results-documents";
    KeyClose => "key-close";
    GoToDate => "goto-date";
    KeyGoToGo => "key-goto-go";
    BadDate => "bad-date";
    GoToNeedsDateSort => "goto-needs-date-sort";
    HijriYear => "hijri-year";
    PlainImageCode => "plain-image-code";
    PlainSmsCode => "plain-sms-code";
    PlainSmsSent => "plain-sms-sent";
    PlainSmsResent => "plain-sms-resent";
    PlainLoggedIn => "plain-logged-in";
    PlainDevSms => "plain-dev-sms";
    PlainNotLoggedIn => "plain-not-logged-in";
    PlainLoggedOut => "plain-logged-out";
    PlainLogoutKept => "plain-logout-kept";
    PlainNoWorkers => "plain-no-workers";
    PlainLoggedOutEverywhere => "plain-logged-out-everywhere";
    PlainNeedLogin => "plain-need-login";
    PlainOtherServer => "plain-other-server";
    PlainSessionGone => "plain-session-gone";
    PlainSearchTooBroad => "plain-search-too-broad";
    UsageUnknownFlag => "usage-unknown-flag";
    UsageUnknownCommand => "usage-unknown-command";
    UsageBadValue => "usage-bad-value";
    UsageValidValues => "usage-valid-values";
    UsageMissing => "usage-missing";
    UsageOther => "usage-other";
    UsageDidYouMean => "usage-did-you-mean";
    UsageHelp => "usage-help";
    UsageReasonRange => "usage-reason-range";
    UsageReasonDay => "usage-reason-day";
    PlainFromAfterTo => "plain-from-after-to";
    PlainCaptchaThrice => "plain-captcha-thrice";
    PlainNoStateDir => "plain-no-state-dir";
    PlainCannotSave => "plain-cannot-save";
    PlainCannotWrite => "plain-cannot-write";
    PlainNoAnswer => "plain-no-answer";
    PlainCannotRead => "plain-cannot-read";
    PlainBadId => "plain-bad-id";
    EstGroup => "est-group";
    EstWorkers => "est-workers";
    EstRenewals => "est-renewals";
    WorkersCount => "workers-count";
    HeldOnly => "held-only";
    RefundHow => "refund-how";
    LastPayment => "last-payment";
    IqamaExpires => "iqama-expires";
    Document => "document";
    Number => "number";
    Expires => "expires";
    DaysLeft => "days-left";
    Fee => "fee";
    HeldInSector => "held-in-sector";
    Covered => "covered";
    Yes => "yes";
    No => "no";
    DaysLeftN => "days-left-n";
    DaysExpiredN => "days-expired-n";
    ExpiresToday => "expires-today";
    DaysLeftShort => "days-left-short";
    DaysExpiredShort => "days-expired-short";
    DocDaysLeftShort => "doc-days-left-short";
    DocDaysExpiredShort => "doc-days-expired-short";
    MoreN => "more-n";
    WithinDays => "within-days";
    NoWorkers => "no-workers";
    NoRenewals => "no-renewals";
    Documents => "documents";
    NoDocuments => "no-documents";
    DocIqama => "doc-iqama";
    DocPassport => "doc-passport";
    DocDrivingLicence => "doc-driving-licence";
    DocIstimara => "doc-istimara";
    SortAvailableDesc => "sort-available-desc";
    SortAvailableAsc => "sort-available-asc";
    SortName => "sort-name";
    SortIdNumber => "sort-id-number";
    SortOldestUnused => "sort-oldest-unused";
    ReportExportPrompt => "report-export-prompt";
    KeyReportOpen => "key-report-open";
    HelpWorkersOpen => "help-workers-open";
    HelpWorkersSort => "help-workers-sort";
    HelpWorkersSearch => "help-workers-search";
    KeyWorkersHeld => "key-workers-held";
    HelpWorkersHeld => "help-workers-held";
    HelpReportExport => "help-report-export";
    HelpReportBack => "help-report-back";
    KeyRenewalsWithin => "key-renewals-within";
    HelpRenewalsWithin => "help-renewals-within";
    HelpRenewalsOpen => "help-renewals-open";
    InquiryFromReport => "inquiry-from-report";
    HelpReportLeave => "help-report-leave";
    Expired => "expired";
    Today => "today";
}

struct Catalog {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    /// Messages without arguments, formatted once.
    plain: HashMap<(Lang, T), &'static str>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let (source, locale) = match lang {
        Lang::En => (EN_FTL, "en"),
        Lang::Ar => (AR_FTL, "ar"),
    };
    // The files are part of the binary and checked by tests; a broken entry shows as its id.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let mut bundle = FluentBundle::new_concurrent(vec![locale.parse().unwrap_or_default()]);
    // rasid orders bidirectional text itself; isolation marks would take cells.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

fn format(bundle: &FluentBundle<FluentResource>, t: T, args: Option<&FluentArgs>) -> String {
    let Some(pattern) = bundle.get_message(t.id()).and_then(|m| m.value()) else {
        return t.id().to_owned();
    };
    let mut errors = vec![];
    bundle.format_pattern(pattern, args, &mut errors).into_owned()
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let bundles: HashMap<Lang, _> = Lang::ALL.iter().map(|l| (*l, bundle(*l))).collect();
        let mut plain = HashMap::new();
        for (lang, b) in &bundles {
            for t in T::ALL {
                let text: &'static str = Box::leak(format(b, *t, None).into_boxed_str());
                plain.insert((*lang, *t), text);
            }
        }
        Catalog { bundles, plain }
    })
}

impl T {
    /// The message's text; for messages without arguments.
    pub fn get(self, lang: Lang) -> &'static str {
        catalog().plain.get(&(lang, self)).copied().unwrap_or_else(|| self.id())
    }
}

/// An argument of a message: numbers choose plural forms.
pub enum Arg<'a> {
    Str(&'a str),
    Num(i64),
}

/// A message with arguments, e.g. `tr(lang, T::ErrOtpInvalid, &[("n", Arg::Num(2))])`.
pub fn tr(lang: Lang, t: T, args: &[(&str, Arg)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Str(s) => fluent_args.set(*name, FluentValue::from(s.to_string())),
            Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    match catalog().bundles.get(&lang) {
        Some(b) => format(b, t, Some(&fluent_args)),
        None => t.id().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<String> {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("the file does not parse: {errors:?}"),
        };
        let mut ids: Vec<String> = resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn both_files_have_the_same_messages() {
        assert_eq!(ids(EN_FTL), ids(AR_FTL));
    }

    #[test]
    fn every_message_the_code_asks_for_exists_in_both_files() {
        for &lang in Lang::ALL {
            let source = if lang == Lang::En { EN_FTL } else { AR_FTL };
            let ids = ids(source);
            for t in T::ALL {
                assert!(ids.iter().any(|i| i == t.id()), "{} missing from {lang:?}", t.id());
            }
        }
        assert_eq!(ids(EN_FTL).len(), T::ALL.len(), "a message no code asks for");
    }

    #[test]
    fn arabic_plurals_follow_the_count() {
        let left = |n| tr(Lang::Ar, T::ErrOtpInvalid, &[("n", Arg::Num(n))]);
        assert_eq!(left(1), "رمز خاطئ. بقيت محاولة واحدة.");
        assert_eq!(left(2), "رمز خاطئ. بقيت محاولتان.");
        assert_eq!(left(3), "رمز خاطئ. بقيت 3 محاولات.");
        assert_eq!(left(0), "رمز خاطئ. لم تبق أي محاولة.");
        assert_eq!(tr(Lang::En, T::ErrOtpInvalid, &[("n", Arg::Num(1))]), "Wrong code. 1 try left.");
        assert_eq!(tr(Lang::En, T::ErrOtpInvalid, &[("n", Arg::Num(2))]), "Wrong code. 2 tries left.");
    }

    #[test]
    fn no_message_carries_the_app_layout_joiner() {
        for &lang in Lang::ALL {
            for t in T::ALL {
                assert!(!t.get(lang).contains('\u{200D}'), "{} in {lang:?}", t.id());
            }
        }
        assert_eq!(T::IdNumber.get(Lang::Ar), "رقم الهوية أو الإقامة");
    }

    #[test]
    fn plain_messages_and_arguments() {
        assert_eq!(T::LoginButton.get(Lang::Ar), "تسجيل الدخول");
        assert_eq!(
            tr(Lang::En, T::OtpSentTo, &[("phone", Arg::Str("05******01"))]),
            "A 4-digit code was sent by SMS to 05******01."
        );
    }
}
