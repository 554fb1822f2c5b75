#!/usr/bin/env python3
"""Walks the whole API with a client generated from its OpenAPI document by
openapi-python-client (a generator nobody here wrote): image code, login, SMS
code, services, people, inquiry, every page of a history, spending, documents,
logout, then the refused token; then an establishment owner's workers (every
page, forward and back) and renewals. Every answer must parse as the model the document
promises, and any status the document does not list fails the walk.

usage: openapi-client-walk.py SERVER_URL GENERATED_CLIENT_DIR
(the server runs with --dev: answers to image codes and SMS codes come from
its outbox)
"""

import json
import sys
import urllib.request

BASE, GENERATED = sys.argv[1].rstrip("/"), sys.argv[2]
sys.path.insert(0, GENERATED)

from rasid_api_client import AuthenticatedClient, Client  # noqa: E402
from rasid_api_client.api.auth import login, logout, new_captcha, verify_otp  # noqa: E402
from rasid_api_client.api.inquiry import (  # noqa: E402
    my_people,
    payments_balance,
    services,
    spending,
    transactions,
)
from rasid_api_client.api.establishment import documents, renewals, workers  # noqa: E402
from rasid_api_client.api.ops import healthz, outbox  # noqa: E402
from rasid_api_client.models import (  # noqa: E402
    BalanceReport,
    Captcha,
    ErrorBody,
    InquiryRequest,
    LoginChallenge,
    LoginRequest,
    OtpRequest,
    RenewalsPage,
    Session,
    Spending,
    SpendingPeriod,
    TransactionPage,
    WorkerSort,
    WorkersReport,
)


def expect(value, model, what):
    if not isinstance(value, model):
        sys.exit(f"{what}: expected {model.__name__}, got {value!r}")
    return value


anonymous = Client(base_url=BASE, raise_on_unexpected_status=True)
expect(healthz.sync(client=anonymous), object, "healthz")


def image_code():
    captcha = expect(new_captcha.sync(client=anonymous), Captcha, "captcha")
    box = outbox.sync(client=anonymous)
    answer = next(c.answer for c in box.captchas if c.captcha_id == captcha.captcha_id)
    return captcha.captcha_id, answer


def log_in(username):
    captcha_id, answer = image_code()
    challenge = expect(
        login.sync(
            client=anonymous,
            body=LoginRequest(
                username=username, password="Rasid@2026", captcha_id=captcha_id, captcha_answer=answer
            ),
        ),
        LoginChallenge,
        "login",
    )
    code = next(s.code for s in outbox.sync(client=anonymous).sms if s.challenge_id == challenge.challenge_id)
    session = expect(
        verify_otp.sync(client=anonymous, body=OtpRequest(challenge_id=challenge.challenge_id, code=code)),
        Session,
        "otp",
    )
    return AuthenticatedClient(base_url=BASE, token=session.token, raise_on_unexpected_status=True)


me = log_in("abdullah01")

tree = services.sync(client=me)
assert isinstance(tree, list) and tree, f"services: {tree!r}"
people = my_people.sync(client=me)
assert isinstance(people, list) and len(people) >= 3, f"people: {people!r}"

for person in people:
    captcha_id, answer = image_code()
    report = expect(
        payments_balance.sync(
            client=me,
            body=InquiryRequest(id_number=person.id_number, captcha_id=captcha_id, captcha_answer=answer),
        ),
        BalanceReport,
        f"inquiry {person.id_number}",
    )
    assert report.subject.id_number == person.id_number

    rows, cursor, pages, total = [], None, 0, None
    while True:
        kwargs = {"limit": 10}
        if cursor:
            kwargs["cursor"] = cursor
        page = expect(
            transactions.sync(person.id_number, client=me, **kwargs), TransactionPage, f"page {pages}"
        )
        total = page.total_count
        rows.extend(page.items)
        pages += 1
        cursor = page.next_cursor if isinstance(page.next_cursor, str) else None
        if not cursor:
            break
    assert len(rows) == total, f"{person.id_number}: walked {len(rows)} rows, total_count {total}"
    assert len({r.id for r in rows}) == len(rows), "a row came twice"
    series = expect(
        spending.sync(person.id_number, client=me, by=SpendingPeriod.MONTH), Spending, "spending"
    )
    docs = documents.sync(person.id_number, client=me)
    assert isinstance(docs, list) and docs, f"documents {person.id_number}: {docs!r}"
    print(f"{person.id_number}: {pages} pages, {len(rows)} rows, {len(series.series)} months of spending, "
          f"{len(docs)} documents")

for call in (workers, renewals):
    refused = expect(call.sync(client=me), ErrorBody, f"{call.__name__} without workers")
    assert refused.error.code.value == "not_authorized", refused

response = logout.sync_detailed(client=me)
assert response.status_code == 204, f"logout: {response.status_code}"
refused = my_people.sync(client=me)
refused = expect(refused, ErrorBody, "people after logout")
assert refused.error.code.value == "unauthenticated", refused

owner = log_in("fahadest01")
for sort in WorkerSort:
    pages, cursor = [], None
    while True:
        kwargs = {"limit": 5, "sort": sort}
        if cursor:
            kwargs["cursor"] = cursor
        page = expect(workers.sync(client=owner, **kwargs), WorkersReport, f"workers {sort.value}")
        pages.append([w.id_number for w in page.items])
        cursor = page.next_cursor if isinstance(page.next_cursor, str) else None
        if not cursor:
            break
    seen = [w for p in pages for w in p]
    assert len(seen) == len(set(seen)) == page.total_count, f"{sort.value}: {len(seen)} of {page.total_count}"
    back = [pages[-1]]
    cursor = page.prev_cursor if isinstance(page.prev_cursor, str) else None
    while cursor:
        page = expect(workers.sync(client=owner, limit=5, sort=sort, cursor=cursor), WorkersReport, "back")
        back.append([w.id_number for w in page.items])
        cursor = page.prev_cursor if isinstance(page.prev_cursor, str) else None
    assert back[::-1] == pages, f"{sort.value}: the same pages walking back"
held = expect(workers.sync(client=owner, has_available=True), WorkersReport, "money held")
due = expect(renewals.sync(client=owner, within_days=366), RenewalsPage, "renewals")
print(f"establishment: {len(seen)} workers, {held.total_count} hold money, {due.total_count} renewals due in a year")

with urllib.request.urlopen(f"{BASE}/api/v1/openapi.json") as doc:
    operations = sum(len(ops) for ops in json.load(doc)["paths"].values())
print(f"walked the API with the generated client ({operations} operations documented): ok")
