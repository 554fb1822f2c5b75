# rasid — العربية

app-name = رصيد
app-title = رصيد المدفوعات
username = اسم المستخدم أو رقم الهوية
password = كلمة المرور
image-code = رمز الصورة
image-code-loading = جارٍ تحميل رمز الصورة…
image-code-expired = انتهت صلاحية رمز الصورة. اضغط Ctrl-R لعرض رمز جديد.
image-code-missing = لا يوجد رمز صورة. اضغط Ctrl-R لطلبه مرة أخرى.
login-button = تسجيل الدخول
login-title = تسجيل الدخول إلى خدماتي
demo-accounts = حسابات تجريبية
demo-password = كلمة المرور للجميع:
field-full = الحقل ممتلئ.
char-not-allowed = هذا الحرف غير مسموح هنا.
field-required = املأ هذا الحقل.
otp-title = رمز التحقق
otp-sent-to = أُرسل رمز من 4 أرقام برسالة نصية إلى { -lri }{ $phone }{ -pdi }.
otp-expires-in = ينتهي الرمز بعد { $s } ث.
otp-resend-later = يمكن إرسال رمز جديد بعد انتهاء هذا الرمز: انظر العد التنازلي.
otp-expired-resend = انتهت صلاحية الرمز. اضغط Ctrl-R لإرسال رمز جديد.
otp-needs-4 = الرمز من 4 أرقام.
verify-button = تحقق
demo-sms = رسالة (تجريبي): { $text }
services-title = خدماتي
not-available = غير متاحة في هذا التطبيق
service-not-available = هذه الخدمة غير متاحة في هذا التطبيق. اختر الاستعلام عن الرصيد.
search = بحث
no-match = لا توجد خدمة مطابقة.
inquiry-title = الاستعلام عن رصيد مدفوعات الخدمات المتبقي
id-number = رقم الهوية أو الإقامة
view-button = عرض
my-people = الأشخاص التابعون لي
people-matching = { $n } من { $total }
pick-search-hint = اكتب اسمًا أو رقم هوية للبحث
no-person-matches = لا يوجد شخص مطابق.
key-picking-choose = اختيار
pick-hint = Ctrl-P أو ↓: اختر من الأشخاص التابعين
id-empty = أدخل رقم هوية من 10 أرقام.
id-not-digits = أرقام فقط.
id-too-short = { $n } من 10 أرقام.
id-too-long = أرقام زائدة: رقم الهوية من 10 أرقام.
id-bad-first = يبدأ الرقم بـ 1 (مواطن) أو 2 (مقيم).
id-bad-check = رقم التحقق غير مطابق: يوجد رقم خاطئ.
id-citizen = صحيح: مواطن (هوية وطنية).
id-resident = صحيح: مقيم (إقامة).
citizen = مواطن
resident = مقيم
rel-self = نفسي
rel-spouse = الزوج/الزوجة
rel-child = ابن/ابنة
rel-domestic = عامل منزلي
rel-worker = عامل
results-title = رصيد المدفوعات
as-of = بتاريخ
sector = القطاع
paid = المدفوع
used = المستخدم
refunded = المسترد
available = المتبقي
total = الإجمالي
spent = المصروف
spent-all-time = منذ البداية
spent-hijri-year = هذه السنة الهجرية ({ $y })
spent-last-1-2 = آخر 12 شهرًا
spending-by-month = المصروف حسب الشهر (ر.س)
no-spending = لا يوجد مصروف بعد.
transactions = العمليات
overview = الأرصدة والمصروف
date = التاريخ
hijri = هجري
service = الخدمة
kind = النوع
amount = المبلغ (ر.س)
beneficiary = المستفيد
name = الاسم
relation = الصلة
reference = المرجع
status = الحالة
settled = مسددة
kind-payment = دفع
kind-usage = استخدام
kind-refund = استرداد
all-sectors = كل القطاعات
all-time = كل الفترات
filter = تصفية
no-transactions = لا توجد عمليات مطابقة.
no-transactions-yet = لا توجد عمليات بعد.
loading-more = جارٍ التحميل…
rows-of = الصف { $shown } من { $total }
transaction-detail = تفاصيل العملية
export-prompt = تصدير العمليات المصفاة: { -lri }c{ -pdi } = { -lri }CSV{ -pdi }، { -lri }j{ -pdi } = { -lri }JSON{ -pdi }، { -lri }h{ -pdi } = دفتر { -lri }hledger{ -pdi }، { -lri }Esc{ -pdi } = إلغاء
exporting = جارٍ التصدير…
exported = كُتبت { $n ->
    [zero] لا عمليات
    [one] عملية واحدة
    [two] عمليتان
    [few] { $n } عمليات
   *[other] { $n } عملية
} في { -fsi }{ $path }{ -pdi }
export-failed = فشل التصدير: { $err }
sorted-by = الترتيب
help-title = المفاتيح
help-close = Esc أو ? لإغلاق المساعدة.
too-small = النافذة صغيرة: { $w }x{ $h }. يحتاج رصيد { $mw }x{ $mh } على الأقل.
working = جارٍ العمل…
confirm-logout = تسجيل الخروج؟ اضغط Esc مرة أخرى للخروج، أو أي مفتاح آخر للبقاء.
logged-out = تم تسجيل الخروج.
session-ended = انتهت الجلسة بعد 10 دقائق دون نشاط. سجّل الدخول مجددًا.
session-refused = لم يعد الخادم يقبل جلستك (مرّت 10 دقائق دون نشاط، أو سُجّل الخروج من جهاز آخر، أو أُعيد تشغيل الخادم). سجّل الدخول مجددًا.
search-too-broad = البحث عن "{ $text }" يقرأ عمليات أكثر مما يسمح به الخادم. اختر سنة بـ { $year } أو { $hijri }، أو قطاعًا بـ { $sector }، فيجري البحث ضمنها.
err-captcha = رمز الصورة خاطئ أو منتهٍ. اكتب الرمز الجديد.
err-credentials = اسم المستخدم أو كلمة المرور غير صحيحة.
err-locked = محاولات خاطئة كثيرة: الحساب مقفل. حاول بعد { $m ->
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $m } دقائق.
   *[other] { $m } دقيقة.
}
err-rate-limited = محاولات كثيرة. انتظر { $s ->
    [one] ثانية واحدة
    [two] ثانيتين
    [few] { $s } ثوانٍ
   *[other] { $s } ثانية
} ثم حاول.
err-otp-invalid = رمز خاطئ. { $n ->
    [zero] لم تبق أي محاولة.
    [one] بقيت محاولة واحدة.
    [two] بقيت محاولتان.
    [few] بقيت { $n } محاولات.
   *[other] بقيت { $n } محاولة.
}
err-otp-last = رمز خاطئ، وكانت هذه آخر محاولة: انتهت محاولة الدخول. سجّل الدخول مجددًا.
err-otp-expired = انتهت محاولة الدخول (انتهى الرمز أو كثرت المحاولات). سجّل الدخول مجددًا.
err-invalid-id = رقم الهوية غير صحيح.
err-not-authorized = يمكنك الاستعلام عن نفسك وعن الأشخاص التابعين لك فقط.
err-not-found = لا يوجد سجل لهذا الرقم.
err-unreachable = تعذر الوصول إلى الخادم. تحقق من الاتصال أو { -lri }--server{ -pdi } ثم حاول مجددًا.
err-timeout = لم يرد الخادم في الوقت المحدد. حاول مجددًا.
err-bad-response = تعذر فهم رد الخادم. حاول لاحقًا.
err-insecure-http = الاتصال عبر { -lri }http://{ -pdi } غير المشفر بجهاز آخر مرفوض: استخدم { -lri }https://{ -pdi } أو { -lri }--insecure-http{ -pdi }.
err-certificate = تعذر التحقق من شهادة الخادم، فرُفض الاتصال. تحقق من { -lri }--server{ -pdi } أو من شهادات النظام.
err-server = حدث خطأ في الخادم. حاول لاحقًا.
err-busy = الخادم مشغول. حاول بعد قليل.
err-bad-address = عنوان الخادم غير صالح للاستخدام: { $why }
bad-address-not-an-address = { -fsi }{ $text }{ -pdi } ليس عنوانًا ({ -lri }{ $why }{ -pdi })
bad-address-not-http = يلزم عنوان يبدأ بـ{ -lri }http://{ -pdi } أو { -lri }https://{ -pdi }، لا { -fsi }{ $text }{ -pdi }
bad-address-no-host = العنوان { -fsi }{ $text }{ -pdi } لا يسمّي خادمًا
bad-address-credentials = العنوان { -fsi }{ $text }{ -pdi } مرفوض: فيه اسم مستخدم أو كلمة مرور
bad-address-query = العنوان { -fsi }{ $text }{ -pdi } مرفوض: فيه استعلام ({ -lri }?{ -pdi }) أو جزء ({ -lri }#{ -pdi })
err-redirected = حاول الخادم تحويل rasid إلى { -fsi }{ $to }{ -pdi }. لا يتبع rasid التحويلات، فلم يُرسل إليه شيء: تحقق من { -lri }--server{ -pdi }.

# The key bindings (tui/keys.rs): `key-` in the status line, `help-` in the ? help and the README.
key-global-help = مساعدة
help-global-help = مساعدة هذه الشاشة
key-global-quit = خروج
help-global-quit = خروج
key-global-language = English
help-global-language = English / العربية
help-global-back = العودة شاشة واحدة
key-login-next = التالي
help-login-next = الحقل التالي / السابق
key-login-submit = دخول
help-login-submit = تسجيل الدخول
key-login-image = رمز جديد
help-login-image = رمز صورة جديد
key-otp-submit = تحقق
help-otp-submit = اكتب الأرقام الأربعة ثم Enter
key-otp-resend = إعادة إرسال
help-otp-resend = إرسال رمز جديد بعد انتهاء الحالي
key-otp-back = رجوع
help-otp-back = العودة لتسجيل الدخول
key-services-move = تنقل
help-services-move = تنقل
key-services-open = فتح
help-services-open = فتح الخدمة
key-services-search = بحث
help-services-search = بحث بالاسم، Esc للمسح
key-services-logout = خروج
help-services-logout = تسجيل الخروج (بعد السؤال)
key-searching-stop = إنهاء البحث
help-inquiry-type = اكتب رقم الهوية أو الإقامة
key-inquiry-submit = عرض
help-inquiry-submit = عرض الرصيد
key-inquiry-people = الأشخاص
help-inquiry-people = اختيار من التابعين (↓ في حقل الهوية)، والكتابة تضيقها
key-inquiry-image = رمز جديد
help-inquiry-back = العودة إلى خدماتي
key-results-pane = القسم
help-results-pane = الأرصدة / العمليات
key-results-move = تنقل
help-results-move = التنقل (Home و End: إلى الطرفين مباشرة)
help-report-move = التنقل في الجدول (End: آخر صف محمّل، ثم الصفحة التالية)
key-results-sort = ترتيب
help-results-sort = الترتيب (التاريخ، المبلغ)
key-results-filter = تصفية
help-results-filter = تصفية بالنص
key-results-sector = قطاع
help-results-sector = القطاع التالي
key-results-year = سنة
help-results-year = السنة السابقة / التالية
key-results-detail = تفاصيل
help-results-detail = تفاصيل العملية
key-results-export = تصدير
help-results-export = تصدير العمليات المصفاة
help-results-back = مسح التصفية، ثم العودة إلى النموذج أو التقرير الذي فُتح منه
key-filtering-apply = تطبيق التصفية
key-filtering-cancel = إلغاء
key-results-goto = انتقال لتاريخ
help-results-goto = الانتقال إلى تاريخ (2025-03-14، أو هجري h1446-09-01)
key-results-hijri-year = سنة هجرية
help-results-hijri-year = السنة الهجرية السابقة / التالية (أو كل الفترات)
key-close = إغلاق
help-results-documents = كل الوثائق ويوم انتهاء كل منها
goto-date = الانتقال إلى تاريخ
key-goto-go = انتقال
bad-date = ليس تاريخًا: اكتب 2025-03-14، أو تاريخًا هجريًا مثل h1446-09-01.
goto-needs-date-sort = الانتقال إلى تاريخ يحتاج الترتيب بالتاريخ: اضغط s.
hijri-year = { $year } هـ

sector-passports = الجوازات
sector-vehicles = المركبات
sector-driving-licence = رخص القيادة
sector-sponsorees = المكفولين
sector-labour = العمالة
sector-short-passports = الجوازات
sector-short-vehicles = المركبات
sector-short-driving-licence = رخص القيادة
sector-short-sponsorees = المكفولين
sector-short-labour = العمالة
hijri-month-1 = محرم
hijri-month-2 = صفر
hijri-month-3 = ربيع الأول
hijri-month-4 = ربيع الآخر
hijri-month-5 = جمادى الأولى
hijri-month-6 = جمادى الآخرة
hijri-month-7 = رجب
hijri-month-8 = شعبان
hijri-month-9 = رمضان
hijri-month-10 = شوال
hijri-month-11 = ذو القعدة
hijri-month-12 = ذو الحجة
hijri-date = { $day } { $month } { $year } هـ

# The plain commands (rasid login, people, balance, transactions, logout).
plain-image-code = رمز الصورة (الأرقام أعلاه)
plain-sms-code = رمز الرسالة النصية
plain-sms-sent = أُرسل رمز برسالة نصية إلى { $phone }.
plain-sms-resent = انتهت صلاحية الرمز. أُرسل رمز جديد إلى { $phone }.
plain-logged-in = تم تسجيل الدخول باسم { $name } ({ $id }). تنتهي الجلسة بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
} دون نشاط.
plain-dev-sms = (خادم التطوير) { $text }
plain-not-logged-in = لم تسجّل الدخول.
plain-logged-out = تم تسجيل الخروج.
plain-no-workers = هذا التقرير للمنشآت: لا عمّال لهذا الحساب.
plain-logout-kept = لم ينهِ الخادم الجلسة، فهي ما زالت مفتوحة عنده. يبقى الرمز في { $path } لتعيد المحاولة بالأمر `rasid logout`؛ احذف هذا الملف لتنساه على هذا الجهاز فقط.
plain-logged-out-everywhere = تم تسجيل الخروج من جميع الأجهزة.
plain-need-login = لم تسجّل الدخول: شغّل `rasid login` أولًا
plain-other-server = الجلسة المحفوظة للخادم { -fsi }{ $saved }{ -pdi } وليست للخادم { -fsi }{ $server }{ -pdi }: شغّل { -lri }rasid login{ -pdi }
plain-session-gone = لم يعد الخادم يقبل هذه الجلسة (مرّت 10 دقائق دون نشاط، أو سُجّل الخروج، أو أُعيد تشغيل الخادم): شغّل `rasid login`
plain-search-too-broad = البحث النصي ({ -lri }--q{ -pdi }) يقرأ عمليات أكثر مما يسمح به الخادم: ضيّقه بـ { -lri }--from{ -pdi } (يوم أحدث) أو { -lri }--to{ -pdi } أو { -lri }--sector{ -pdi } أو { -lri }--kind{ -pdi }
plain-captcha-thrice = رمز الصورة خاطئ ثلاث مرات؛ شغّل الأمر مجددًا
plain-no-state-dir = لا يوجد في هذا النظام مجلد حالة لحفظ الجلسة فيه
plain-cannot-save = تعذّر حفظ الجلسة في { $path }: { $err }
plain-cannot-write = تعذّرت كتابة المخرجات: { $err }
plain-no-answer = لا إجابة عن "{ $prompt }"
plain-cannot-read = تعذّرت قراءة الإجابة: { $err }
plain-bad-id = { -lri }--id { $id }{ -pdi }: { $why }

# Directional isolates (LRI, FSI, PDI) around left-to-right text inside a
# right-to-left line, so a key, a phone number or a path keeps its order.
-lri = { "\u2066" }
-fsi = { "\u2068" }
-pdi = { "\u2069" }

# المنشأة: أرصدة العمال، والتجديدات المستحقة، والوثائق.
est-group = المنشأة
est-workers = أرصدة العمال
est-renewals = التجديدات المستحقة
workers-count = { $n } عامل
held-only = من لديهم مبالغ متبقية فقط
refund-how = مرشحون للاسترداد. لا يُطلب الاسترداد من هنا: يطلبه البنك الذي دُفع عبره (سداد › المدفوعات الحكومية › استرداد) خلال نحو 3 أيام عمل.
last-payment = آخر دفعة
iqama-expires = انتهاء الإقامة
document = الوثيقة
number = الرقم
expires = تاريخ الانتهاء
days-left = المتبقي من الأيام
fee = الرسوم
held-in-sector = المتوفر في القطاع
covered = مغطاة
yes = نعم
no = لا
days-left-n = { $n ->
    [one] بقي يوم واحد
    [two] بقي يومان
    [few] بقيت { $n } أيام
   *[other] بقي { $n } يومًا
}
days-expired-n = انتهت منذ { $n ->
    [one] يوم واحد
    [two] يومين
    [few] { $n } أيام
   *[other] { $n } يومًا
}
expires-today = تنتهي اليوم
days-left-short = { $n } يوم
days-expired-short = منذ { $n } يوم
doc-days-left-short = بقي { $n } يوم
doc-days-expired-short = انتهت منذ { $n } يوم
more-n = +{ $n } أخرى ({ -lri }d{ -pdi })
within-days = خلال { $n } يومًا
no-workers = لا يوجد عامل مطابق.
no-renewals = لا شيء ينتهي خلال هذه الأيام.
documents = الوثائق
no-documents = لا وثائق.
doc-iqama = الإقامة
doc-passport = جواز السفر
doc-driving-licence = رخصة القيادة
doc-istimara = رخصة السير
sort-available-desc = الأعلى رصيدًا أولًا
sort-available-asc = الأقل رصيدًا أولًا
sort-name = الاسم
sort-id-number = رقم الهوية
sort-oldest-unused = الأقدم احتجازًا أولًا
report-export-prompt = تصدير المعروض: { -lri }c{ -pdi } = { -lri }CSV{ -pdi }، { -lri }j{ -pdi } = { -lri }JSON{ -pdi }، { -lri }Esc{ -pdi } = إلغاء
key-report-open = النتائج
help-workers-open = فتح نتائج العامل (بعد رمز الصورة)
help-workers-sort = الترتيب التالي: الأعلى رصيدًا، الأقل رصيدًا، الاسم، رقم الهوية، الأقدم احتجازًا
help-workers-search = البحث بالاسم أو رقم الهوية
key-workers-held = المتبقي فقط
help-workers-held = العمال الذين لديهم مبالغ متبقية فقط: المرشحون للاسترداد
help-report-export = تصدير المعروض ({ -lri }CSV{ -pdi } أو { -lri }JSON{ -pdi })
help-report-back = مسح البحث، ثم العودة إلى خدماتي
key-renewals-within = الأيام
help-renewals-within = إلى أي مدى: 30 أو 90 أو 366 يومًا
help-renewals-open = فتح نتائج الشخص (بعد رمز الصورة)
inquiry-from-report = اكتب رمز الصورة لعرض النتائج، و{ -lri }Esc{ -pdi } يعيدك إلى التقرير.
help-report-leave = العودة إلى خدماتي
expired = منتهية
today = اليوم

# سطر أوامر لا يقرؤه rasid.
usage-unknown-flag = الخيار { -lri }{ $flag }{ -pdi } غير معروف.
usage-unknown-command = الأمر { -lri }{ $command }{ -pdi } غير معروف.
usage-bad-value = القيمة { -fsi }{ $value }{ -pdi } لا تصلح للخيار { -lri }{ $flag }{ -pdi }.
usage-valid-values = يقبل: { -lri }{ $values }{ -pdi }.
usage-missing = ينقص: { -lri }{ $flags }{ -pdi }.
usage-other = تعذرت قراءة سطر الأوامر:
usage-did-you-mean = هل تقصد { -lri }{ $suggestion }{ -pdi }؟
usage-help = الخيارات: { -lri }rasid --help{ -pdi }
usage-reason-range = يقبل عددًا صحيحًا من { $min } إلى { $max }.
usage-reason-day = يقبل يومًا موجودًا في التقويم بصيغة { -lri }YYYY-MM-DD{ -pdi }.
plain-from-after-to = { -lri }--from{ -pdi } ({ -lri }{ $from }{ -pdi }) بعد { -lri }--to{ -pdi } ({ -lri }{ $to }{ -pdi }): لا يوم بينهما.
