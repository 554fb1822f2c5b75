# rasid — English

app-name = rasid
app-title = Payments balance
username = Username or ID number
password = Password
image-code = Image code
image-code-loading = Loading the image code…
image-code-expired = The image code has expired. Ctrl-R shows a new one.
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
otp-resend-later = A new code can be sent once this one has run out: see the countdown.
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
# The pick list's count: who match what was typed, of all.
people-matching = { $n } of { $total }
pick-search-hint = Type a name or ID number to search
no-person-matches = No one matches.
key-picking-choose = choose
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
no-transactions-yet = No transactions yet.
loading-more = Loading…
rows-of = row { $shown } of { $total }
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
confirm-logout = Log out? Esc again logs out; any other key stays.
logged-out = You are logged out.
session-ended = Your session ended after 10 idle minutes. Log in again.
session-refused = The server no longer accepts your session (10 idle minutes passed, it was logged out elsewhere, or the server restarted). Log in again.
search-too-broad = Searching "{ $text }" would read too many transactions for the server. Choose a year with { $year } or { $hijri }, or a sector with { $sector }, and the search runs within it.
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
err-otp-last = Wrong code, and that was the last try: this login has ended. Log in again.
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
bad-address-not-an-address = `{ $text }` is not an address ({ $why })
bad-address-not-http = expected an http:// or https:// address, found `{ $text }`
bad-address-no-host = `{ $text }` names no host
bad-address-credentials = `{ $text }`: an address with a user name or password in it is refused
bad-address-query = `{ $text }`: an address with a ? query or # fragment is refused
err-redirected = The server tried to send rasid to { $to }. rasid does not follow redirects, so nothing was sent there: check --server.

# The key bindings (tui/keys.rs): `key-` in the status line, `help-` in the ? help and the README.
key-global-help = help
help-global-help = help for this screen
key-global-quit = quit
help-global-quit = quit
key-global-language = العربية
help-global-language = العربية / English
help-global-back = back one screen
key-login-next = next
help-login-next = next / previous field
key-login-submit = log in
help-login-submit = log in (or say what is missing)
key-login-image = new image code
help-login-image = a new image code
key-otp-submit = verify
help-otp-submit = Type the 4 digits from the SMS, then Enter
key-otp-resend = resend
help-otp-resend = send a new code once this one has run out
key-otp-back = back
help-otp-back = back to the login
key-services-move = move
help-services-move = move
key-services-open = open
help-services-open = open a service
key-services-search = search
help-services-search = search by name, Esc clears
key-services-logout = log out
help-services-logout = log out (asks first)
key-searching-stop = stop searching
help-inquiry-type = Type the ID or iqama number (Arabic digits work)
key-inquiry-submit = view
help-inquiry-submit = view the balance
key-inquiry-people = my people
help-inquiry-people = pick from my people (↓ in the ID field), typing narrows it
key-inquiry-image = new code
help-inquiry-back = back to My Services
key-results-pane = {""}
help-results-pane = balances / transactions (small terminals)
key-results-move = move
help-results-move = move (Home, End: either end at once)
help-report-move = move in the table (End: the last row loaded, then the next page)
key-results-sort = sort
help-results-sort = sort (date, amount; each way)
key-results-filter = filter
help-results-filter = filter by text (service, reference, ID)
key-results-sector = sector
help-results-sector = next sector filter
key-results-year = year
help-results-year = previous / next year (or all time)
key-results-detail = detail
help-results-detail = transaction detail
key-results-export = export
help-results-export = export the filtered rows (CSV, JSON or hledger journal)
help-results-back = clear the filters, then back to the form or report
key-filtering-apply = apply the filter
key-filtering-cancel = cancel
key-results-goto = go to date
help-results-goto = go to a date (2025-03-14, or Hijri h1446-09-01)
key-results-hijri-year = Hijri year
help-results-hijri-year = previous / next Hijri year (or all time)
key-close = close
help-results-documents = every document and the day it runs out
goto-date = Go to date
key-goto-go = go
bad-date = Not a date: type 2025-03-14, or a Hijri date as h1446-09-01.
goto-needs-date-sort = Going to a date needs the date order: press s.
hijri-year = { $year } AH

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
plain-no-workers = This report is an establishment's: this account has no workers.
plain-logout-kept = The server did not end the session, so it is still open there. The token stays in { $path } so that `rasid logout` can be tried again; delete that file to forget it on this machine only.
plain-logged-out-everywhere = Logged out on every device.
plain-need-login = not logged in: run `rasid login` first
plain-other-server = the saved session is for { $saved }, not { $server }: run `rasid login`
plain-session-gone = the server no longer accepts this session (10 idle minutes passed, it was logged out, or the server restarted): run `rasid login`
plain-search-too-broad = the text search (--q) would read too many transactions for the server: narrow it with --from (a later day) or --to, --sector or --kind
plain-captcha-thrice = the image code was wrong three times; run the command again
plain-no-state-dir = this system has no state directory to keep the session in
plain-cannot-save = cannot keep the session in { $path }: { $err }
plain-cannot-write = cannot write the output: { $err }
plain-no-answer = no answer to "{ $prompt }"
plain-cannot-read = cannot read the answer: { $err }
plain-bad-id = --id { $id }: { $why }

# The establishment: workers' balances, renewals due, documents.
est-group = Establishment
est-workers = Workers' balances
est-renewals = Renewals due
workers-count = { $n } workers
held-only = money still held only
refund-how = Refund candidates. A refund is not asked for here: the bank that paid asks for it (SADAD › Government payments › Refund), in about 3 working days.
last-payment = Last payment
iqama-expires = Iqama expires
document = Document
number = Number
expires = Expires
days-left = Days left
fee = Fee
held-in-sector = Held in sector
covered = Covered
yes = yes
no = no
days-left-n = { $n ->
    [one] 1 day left
   *[other] { $n } days left
}
days-expired-n = expired { $n ->
    [one] 1 day ago
   *[other] { $n } days ago
}
expires-today = expires today
# A document's days left where the panel is narrow.
days-left-short = { $n } d
# How long ago a document ran out, where its column is narrow.
days-expired-short = { $n } d ago
# The same beside a document, where no heading says which it is.
doc-days-left-short = { $n } d left
doc-days-expired-short = expired { $n } d ago
# Documents that did not fit in their panel, and the key that lists them all.
more-n = +{ $n } more (d)
within-days = within { $n } days
no-workers = No worker matches.
no-renewals = Nothing runs out within these days.
documents = Documents
no-documents = No documents.
doc-iqama = Iqama
doc-passport = Passport
doc-driving-licence = Driving licence
doc-istimara = Istimara
sort-available-desc = most held first
sort-available-asc = least held first
sort-name = name
sort-id-number = ID number
sort-oldest-unused = held longest first
report-export-prompt = Export what is shown: c = CSV, j = JSON, Esc = cancel
key-report-open = results
help-workers-open = open the worker's results (after the image code)
help-workers-sort = next sort: most held, least held, name, ID number, held longest
help-workers-search = search by name or ID number
key-workers-held = held only
help-workers-held = only the workers with money still held: the refund candidates
help-report-export = export what is shown (CSV or JSON)
help-report-back = clear the search, then back to My Services
key-renewals-within = days
help-renewals-within = how far ahead: 30, 90 or 366 days
help-renewals-open = open that person's results (after the image code)
inquiry-from-report = Type the image code to see the results; Esc goes back to the report.
help-report-leave = back to My Services
expired = expired
today = today

# A command line rasid cannot read. English output uses clap's own words; these stand beside the Arabic.
usage-unknown-flag = { $flag } is not a flag rasid knows.
usage-unknown-command = { $command } is not a command rasid knows.
usage-bad-value = { $value } is not a value { $flag } takes.
usage-valid-values = It takes: { $values }.
usage-missing = Missing: { $flags }.
usage-other = The command line cannot be read:
usage-did-you-mean = Did you mean { $suggestion }?
usage-help = The flags: rasid --help
usage-reason-range = It takes a whole number from { $min } to { $max }.
usage-reason-day = It takes a day of the calendar, written YYYY-MM-DD.
plain-from-after-to = --from ({ $from }) is after --to ({ $to }): no day is in between.
