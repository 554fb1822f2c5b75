//! Every user-visible label of the app, in one place, in both languages.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ar,
}

impl Lang {
    pub fn toggle(self) -> Lang {
        match self {
            Lang::En => Lang::Ar,
            Lang::Ar => Lang::En,
        }
    }

    pub fn pick<'a>(self, en: &'a str, ar: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ar => ar,
        }
    }
}

macro_rules! texts {
    ($($key:ident => $en:literal, $ar:literal;)*) => {
        /// A label; `get` gives its text in a language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];

            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::En) => $en, (T::$key, Lang::Ar) => $ar,)*
                }
            }
        }
    };
}

texts! {
    AppName => "rasid", "رصيد";
    AppTitle => "Payments balance", "رصيد المدفوعات";
    Username => "Username or ID number", "اسم المستخدم أو رقم الهوية";
    Password => "Password", "كلمة المرور";
    ImageCode => "Image code", "رمز الصورة";
    ImageCodeLoading => "Loading the image code…", "جارٍ تحميل رمز الصورة…";
    LoginButton => "Log in", "تسجيل الدخول";
    LoginTitle => "Log in to My Services", "تسجيل الدخول إلى خدماتي";
    DemoAccounts => "Demo accounts", "حسابات تجريبية";
    DemoPassword => "password for all:", "كلمة المرور للجميع:";
    FieldRequired => "Fill in this field.", "املأ هذا الحقل.";
    OtpTitle => "Verification code", "رمز التحقق";
    OtpSentTo => "A 4-digit code was sent by SMS to {phone}.", "أُرسل رمز من 4 أرقام برسالة نصية إلى {phone}.";
    OtpExpiresIn => "The code expires in {s} s.", "ينتهي الرمز بعد {s} ث.";
    OtpExpiredResend => "The code has expired. Press Ctrl-R to send a new one.", "انتهت صلاحية الرمز. اضغط Ctrl-R لإرسال رمز جديد.";
    OtpNeeds4 => "The code has 4 digits.", "الرمز من 4 أرقام.";
    VerifyButton => "Verify", "تحقق";
    DemoSms => "SMS (demo): {text}", "رسالة (تجريبي): {text}";
    ServicesTitle => "My Services", "خدماتي";
    NotAvailable => "not available in this client", "غير متاحة في هذا التطبيق";
    ServiceNotAvailable => "This service is not available in this client. Choose Query Available Funds.", "هذه الخدمة غير متاحة في هذا التطبيق. اختر الاستعلام عن الرصيد.";
    Search => "Search", "بحث";
    NoMatch => "No service matches.", "لا توجد خدمة مطابقة.";
    InquiryTitle => "Query Available Funds", "الاستعلام عن رصيد مدفوعات الخدمات المتبقي";
    IdNumber => "ID or iqama number", "رقم الهوية أو الإقامة";
    ViewButton => "View", "عرض";
    MyPeople => "My people", "الأشخاص التابعون لي";
    PickHint => "Ctrl-P or ↓: choose from my people", "Ctrl-P أو ↓: اختر من الأشخاص التابعين";
    IdEmpty => "Enter a 10-digit ID number.", "أدخل رقم هوية من 10 أرقام.";
    IdNotDigits => "Digits only.", "أرقام فقط.";
    IdTooShort => "{n} of 10 digits.", "{n} من 10 أرقام.";
    IdTooLong => "Too many digits: an ID has 10.", "أرقام زائدة: رقم الهوية من 10 أرقام.";
    IdBadFirst => "An ID starts with 1 (citizen) or 2 (resident).", "يبدأ الرقم بـ 1 (مواطن) أو 2 (مقيم).";
    IdBadCheck => "The check digit does not match: a digit is mistyped.", "رقم التحقق غير مطابق: يوجد رقم خاطئ.";
    IdCitizen => "Valid: citizen (national ID).", "صحيح: مواطن (هوية وطنية).";
    IdResident => "Valid: resident (iqama).", "صحيح: مقيم (إقامة).";
    Citizen => "Citizen", "مواطن";
    Resident => "Resident", "مقيم";
    RelSelf => "Self", "نفسي";
    RelSpouse => "Spouse", "الزوج/الزوجة";
    RelChild => "Child", "ابن/ابنة";
    RelDomestic => "Domestic worker", "عامل منزلي";
    RelWorker => "Worker", "عامل";
    ResultsTitle => "Payments balance", "رصيد المدفوعات";
    AsOf => "As of", "بتاريخ";
    Sector => "Sector", "القطاع";
    Paid => "Paid", "المدفوع";
    Used => "Used", "المستخدم";
    Refunded => "Refunded", "المسترد";
    Available => "Available", "المتبقي";
    Total => "Total", "الإجمالي";
    Spent => "Spent", "المصروف";
    SpentAllTime => "All time", "منذ البداية";
    SpentHijriYear => "This Hijri year ({y})", "هذه السنة الهجرية ({y})";
    SpentLast12 => "Last 12 months", "آخر 12 شهرًا";
    SpendingByMonth => "Spending by month (SAR)", "المصروف حسب الشهر (ريال)";
    NoSpending => "No spending yet.", "لا يوجد مصروف بعد.";
    Transactions => "Transactions", "العمليات";
    Overview => "Balances & spending", "الأرصدة والمصروف";
    Date => "Date", "التاريخ";
    Hijri => "Hijri", "هجري";
    Service => "Service", "الخدمة";
    Kind => "Kind", "النوع";
    Amount => "Amount (SAR)", "المبلغ (ريال)";
    Beneficiary => "Beneficiary", "المستفيد";
    Reference => "Reference", "المرجع";
    Status => "Status", "الحالة";
    Settled => "Settled", "مسددة";
    KindPayment => "Payment", "دفع";
    KindUsage => "Usage", "استخدام";
    KindRefund => "Refund", "استرداد";
    AllSectors => "All sectors", "كل القطاعات";
    AllTime => "All time", "كل الفترات";
    Filter => "Filter", "تصفية";
    NoTransactions => "No transactions match.", "لا توجد عمليات مطابقة.";
    LoadingMore => "Loading…", "جارٍ التحميل…";
    RowsOf => "{shown} of {total}", "{shown} من {total}";
    TransactionDetail => "Transaction", "تفاصيل العملية";
    ExportPrompt => "Export the filtered rows: c = CSV, j = JSON, Esc = cancel", "تصدير العمليات المصفاة: c = CSV، j = JSON، Esc = إلغاء";
    Exporting => "Exporting…", "جارٍ التصدير…";
    Exported => "Wrote {n} rows to {path}", "كُتبت {n} عملية في {path}";
    ExportFailed => "Export failed: {err}", "فشل التصدير: {err}";
    SortedBy => "Sort", "الترتيب";
    HelpTitle => "Keys", "المفاتيح";
    HelpClose => "Esc or ? closes this help.", "Esc أو ? لإغلاق المساعدة.";
    TooSmall => "Terminal too small: {w}x{h}. rasid needs at least {mw}x{mh}.", "النافذة صغيرة: {w}x{h}. يحتاج رصيد {mw}x{mh} على الأقل.";
    Working => "Working…", "جارٍ العمل…";
    LoggedOut => "You are logged out.", "تم تسجيل الخروج.";
    SessionEnded => "Your session ended after 10 idle minutes. Log in again.", "انتهت الجلسة بعد 10 دقائق دون نشاط. سجّل الدخول مجددًا.";
    ErrCaptcha => "The image code is wrong or expired. A new one is shown: type it.", "رمز الصورة خاطئ أو منتهٍ. اكتب الرمز الجديد.";
    ErrCredentials => "Wrong username or password.", "اسم المستخدم أو كلمة المرور غير صحيحة.";
    ErrCredentialsLeft => "Wrong username or password. {n} tries left before the account locks.", "اسم المستخدم أو كلمة المرور غير صحيحة. بقيت {n} محاولات قبل قفل الحساب.";
    ErrLocked => "Too many wrong passwords: the account is locked. Try again in {m} min.", "محاولات خاطئة كثيرة: الحساب مقفل. حاول بعد {m} دقيقة.";
    ErrRateLimited => "Too many attempts from here. Wait {s} s and try again.", "محاولات كثيرة. انتظر {s} ثانية ثم حاول.";
    ErrOtpInvalid => "Wrong code. {n} tries left.", "رمز خاطئ. بقيت {n} محاولات.";
    ErrOtpExpired => "This login has ended (code expired or too many tries). Log in again.", "انتهت محاولة الدخول (انتهى الرمز أو كثرت المحاولات). سجّل الدخول مجددًا.";
    ErrInvalidId => "The server says the ID number is not valid.", "رقم الهوية غير صحيح.";
    ErrNotAuthorized => "You may inquire only about yourself and the people listed under My people.", "يمكنك الاستعلام عن نفسك وعن الأشخاص التابعين لك فقط.";
    ErrNotFound => "No record for this ID number.", "لا يوجد سجل لهذا الرقم.";
    ErrUnreachable => "The server cannot be reached. Check the connection or --server, then try again.", "تعذر الوصول إلى الخادم. تحقق من الاتصال أو --server ثم حاول مجددًا.";
    ErrTimeout => "The server did not answer in time. Try again.", "لم يرد الخادم في الوقت المحدد. حاول مجددًا.";
    ErrBadResponse => "The server's answer was not understood. Try again later.", "تعذر فهم رد الخادم. حاول لاحقًا.";
    ErrServer => "The server failed. Try again later.", "حدث خطأ في الخادم. حاول لاحقًا.";
    KeysGlobal => "Ctrl-C quit · ? help · F2 العربية", "Ctrl-C خروج · ? مساعدة · F2 English";
    KeysLogin => "Tab next · Enter log in · Ctrl-R new image code", "Tab التالي · Enter دخول · Ctrl-R رمز جديد";
    KeysOtp => "Enter verify · Ctrl-R resend · Esc back", "Enter تحقق · Ctrl-R إعادة إرسال · Esc رجوع";
    KeysServices => "↑↓/j k move · Enter open · / search · Esc log out", "↑↓/j k تنقل · Enter فتح · / بحث · Esc خروج";
    KeysInquiry => "Tab next · ⏎ view · Ctrl-P my people · Ctrl-R new code · Esc back", "Tab التالي · ⏎ عرض · Ctrl-P الأشخاص · Ctrl-R رمز جديد · Esc رجوع";
    KeysResults => "Tab · ↑↓ move · s sort · / filter · f sector · [ ] year · ⏎ detail · e export", "Tab القسم · ↑↓ تنقل · s ترتيب · / تصفية · f قطاع · [ ] سنة · ⏎ تفاصيل · e تصدير";
    HelpLogin => "Tab / Shift-Tab: next / previous field\nEnter: log in (or say what is missing)\nCtrl-R: a new image code\nF2: العربية / English\nCtrl-C: quit", "Tab / Shift-Tab: الحقل التالي / السابق\nEnter: تسجيل الدخول\nCtrl-R: رمز صورة جديد\nF2: English / العربية\nCtrl-C: خروج";
    HelpOtp => "Type the 4 digits from the SMS, then Enter\nCtrl-R: send a new code once this one has run out\nEsc: back to the login", "اكتب الأرقام الأربعة ثم Enter\nCtrl-R: إرسال رمز جديد بعد انتهاء الحالي\nEsc: العودة لتسجيل الدخول";
    HelpServices => "↑ ↓ or j k: move\nEnter: open a service\n/: search by name, Esc clears\nEsc: log out", "↑ ↓ أو j k: تنقل\nEnter: فتح الخدمة\n/: بحث بالاسم، Esc للمسح\nEsc: تسجيل الخروج";
    HelpInquiry => "Type the ID or iqama number (Arabic digits work)\nCtrl-P or ↓ in the ID field: pick from my people\nTab / Shift-Tab: next / previous field\nEnter: view the balance\nCtrl-R: a new image code\nEsc: back to My Services", "اكتب رقم الهوية أو الإقامة\nCtrl-P أو ↓: اختيار من الأشخاص التابعين\nTab / Shift-Tab: الحقل التالي / السابق\nEnter: عرض الرصيد\nCtrl-R: رمز صورة جديد\nEsc: العودة إلى خدماتي";
    HelpResults => "Tab: balances / transactions (small terminals)\n↑ ↓ PgUp PgDn Home End: move in the table\ns: sort (date, amount; each way)\n/: filter by text (service, reference, ID)\nf: next sector filter\n[ ]: previous / next year (or all time)\nEnter: transaction detail\ne: export the filtered rows (CSV or JSON)\nEsc: back to the inquiry form", "Tab: الأرصدة / العمليات\n↑ ↓ PgUp PgDn Home End: التنقل في الجدول\ns: الترتيب (التاريخ، المبلغ)\n/: تصفية بالنص\nf: القطاع التالي\n[ ]: السنة السابقة / التالية\nEnter: تفاصيل العملية\ne: تصدير العمليات المصفاة\nEsc: العودة إلى النموذج";
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_text_in_both_languages_with_the_same_placeholders() {
        for t in T::ALL {
            let (en, ar) = (t.get(Lang::En), t.get(Lang::Ar));
            assert!(!en.is_empty() && !ar.is_empty(), "{t:?}");
            let holes = |s: &str| {
                let mut v: Vec<String> =
                    s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned())).collect();
                v.sort();
                v
            };
            assert_eq!(holes(en), holes(ar), "{t:?}");
        }
    }
}
