# rasid — English

app-name = rasid
app-title = Payments balance
username = Username or ID number
password = Password
image-code = Image code
image-code-loading = Loading the image code…
image-code-missing = No image code. Ctrl-R asks for one again.
login-button = Log in
login-title = Log in to My Services
demo-accounts = Demo accounts
demo-password = password for all:
field-full = The field is full.
char-not-allowed = That character is not allowed here.
field-required = Fill in this field.
otp-title = Verification code
otp-sent-to = A 4-digit code was sent by SMS to { $phone }.
otp-expires-in = The code expires in { $s } s.
otp-expired-resend = The code has expired. Press Ctrl-R to send a new one.
otp-needs-4 = The code has 4 digits.
verify-button = Verify
demo-sms = SMS (demo): { $text }
services-title = My Services
not-available = not available in this client
service-not-available = This service is not available in this client. Choose Query Available Funds.
search = Search
no-match = No service matches.
inquiry-title = Query Available Funds
id-number = ID or iqama number
view-button = View
my-people = My people
pick-hint = Ctrl-P or ↓: choose from my people
id-empty = Enter a 10-digit ID number.
id-not-digits = Digits only.
id-too-short = { $n } of 10 digits.
id-too-long = Too many digits: an ID has 10.
id-bad-first = An ID starts with 1 (citizen) or 2 (resident).
id-bad-check = The check digit does not match: a digit is mistyped.
id-citizen = Valid: citizen (national ID).
id-resident = Valid: resident (iqama).
citizen = Citizen
resident = Resident
rel-self = Self
rel-spouse = Spouse
rel-child = Child
rel-domestic = Domestic worker
rel-worker = Worker
results-title = Payments balance
as-of = As of
sector = Sector
paid = Paid
used = Used
refunded = Refunded
available = Available
total = Total
spent = Spent
spent-all-time = All time
spent-hijri-year = This Hijri year ({ $y })
spent-last-1-2 = Last 12 months
spending-by-month = Spending by month (SAR)
no-spending = No spending yet.
transactions = Transactions
overview = Balances & spending
date = Date
hijri = Hijri
service = Service
kind = Kind
amount = Amount (SAR)
beneficiary = Beneficiary
name = Name
relation = Relation
reference = Reference
status = Status
settled = Settled
kind-payment = Payment
kind-usage = Usage
kind-refund = Refund
all-sectors = All sectors
all-time = All time
filter = Filter
no-transactions = No transactions match.
loading-more = Loading…
rows-of = { $shown } of { $total }
transaction-detail = Transaction
export-prompt = Export the filtered rows: c = CSV, j = JSON, h = hledger journal, Esc = cancel
exporting = Exporting…
exported = Wrote { $n ->
    [one] 1 row
   *[other] { $n } rows
} to { $path }
export-failed = Export failed: { $err }
sorted-by = Sort
help-title = Keys
help-close = Esc or ? closes this help.
too-small = Terminal too small: { $w }x{ $h }. rasid needs at least { $mw }x{ $mh }.
working = Working…
logged-out = You are logged out.
session-ended = Your session ended after 10 idle minutes. Log in again.
err-captcha = The image code is wrong or expired. A new one is shown: type it.
err-credentials = Wrong username or password.
err-locked = Too many wrong passwords: the account is locked. Try again in { $m ->
    [one] 1 minute.
   *[other] { $m } minutes.
}
err-rate-limited = Too many attempts from here. Wait { $s } s and try again.
err-otp-invalid = Wrong code. { $n ->
    [one] 1 try left.
   *[other] { $n } tries left.
}
err-otp-expired = This login has ended (code expired or too many tries). Log in again.
err-invalid-id = The server says the ID number is not valid.
err-not-authorized = You may inquire only about yourself and the people listed under My people.
err-not-found = No record for this ID number.
err-unreachable = The server cannot be reached. Check the connection or --server, then try again.
err-timeout = The server did not answer in time. Try again.
err-bad-response = The server's answer was not understood. Try again later.
err-insecure-http = Plain http:// to another machine is refused: use https://, or --insecure-http.
err-certificate = The server's certificate could not be verified: the connection was refused. Check --server, or the system's certificates.
err-server = The server failed. Try again later.
err-busy = The server is busy. Try again in a moment.
err-bad-address = The server address cannot be used: { $why }
err-redirected = The server tried to send rasid to { $to }. rasid does not follow redirects, so nothing was sent there: check --server.
keys-global = ? help · Ctrl-C quit · F2 العربية
keys-login = Tab next · Enter log in · Ctrl-R new image code
keys-otp = Enter verify · Ctrl-R resend · Esc back
keys-services = ↑↓/j k move · Enter open · / search · Esc log out
keys-inquiry = Tab next · ⏎ view · Ctrl-P my people · Ctrl-R new code · Esc back
keys-searching = ↑↓ move · Enter open · Esc stop searching
keys-filtering = Enter apply the filter · Esc cancel
keys-results = Tab · ↑↓ move · s sort · / filter · f sector · [ ] year · ⏎ detail · e export
help-login =
    Tab / Shift-Tab: next / previous field
    Enter: log in (or say what is missing)
    Ctrl-R: a new image code
    F2: العربية / English
    Ctrl-C: quit
help-otp =
    Type the 4 digits from the SMS, then Enter
    Ctrl-R: send a new code once this one has run out
    Esc: back to the login
help-services =
    ↑ ↓ or j k: move
    Enter: open a service
    /: search by name, Esc clears
    Esc: log out
help-inquiry =
    Type the ID or iqama number (Arabic digits work)
    Ctrl-P or ↓ in the ID field: pick from my people
    Tab / Shift-Tab: next / previous field
    Enter: view the balance
    Ctrl-R: a new image code
    Esc: back to My Services
help-results =
    Tab: balances / transactions (small terminals)
    ↑ ↓ PgUp PgDn Home End: move in the table
    s: sort (date, amount; each way)
    /: filter by text (service, reference, ID)
    f: next sector filter
    {"["} ]: previous / next year (or all time)
    Enter: transaction detail
    e: export the filtered rows (CSV, JSON or hledger journal)
    Esc: back to the inquiry form

sector-passports = Passports deposit
sector-vehicles = Vehicles deposit
sector-driving-licence = Driving licence deposit
sector-sponsorees = Sponsorees deposit
sector-labour = Labour deposit
sector-short-passports = Passports
sector-short-vehicles = Vehicles
sector-short-driving-licence = Driving licence
sector-short-sponsorees = Sponsorees
sector-short-labour = Labour
hijri-month-1 = Muharram
hijri-month-2 = Safar
hijri-month-3 = Rabi al-Awwal
hijri-month-4 = Rabi al-Akhir
hijri-month-5 = Jumada al-Ula
hijri-month-6 = Jumada al-Akhirah
hijri-month-7 = Rajab
hijri-month-8 = Shaban
hijri-month-9 = Ramadan
hijri-month-10 = Shawwal
hijri-month-11 = Dhu al-Qadah
hijri-month-12 = Dhu al-Hijjah
hijri-date = { $day } { $month } { $year } AH

# The plain commands (rasid login, people, balance, transactions, logout).
plain-image-code = Image code (the digits above)
plain-sms-code = SMS code
plain-sms-sent = An SMS code was sent to { $phone }.
plain-sms-resent = The code ran out. A new one was sent to { $phone }.
plain-logged-in = Logged in as { $name } ({ $id }). The session ends after { $minutes } idle minutes.
plain-dev-sms = (development server) { $text }
plain-not-logged-in = Not logged in.
plain-logged-out = Logged out.
plain-need-login = not logged in: run `rasid login` first
plain-other-server = the saved session is for { $saved }, not { $server }: run `rasid login`
plain-session-gone = the server no longer accepts this session (10 idle minutes passed, it was logged out, or the server restarted): run `rasid login`
plain-captcha-thrice = the image code was wrong three times; run the command again
plain-no-state-dir = this system has no state directory to keep the session in
plain-cannot-save = cannot keep the session in { $path }: { $err }
plain-cannot-write = cannot write the output: { $err }
plain-no-answer = no answer to "{ $prompt }"
plain-cannot-read = cannot read the answer: { $err }
plain-bad-id = { $id }: { $why }
