#!/usr/bin/env python3
"""Logs in to a `rasid serve --dev` server and times payments-balance inquiries.

Usage: bench_client.py BASE_URL token            -> prints a session token for fahadest01
       bench_client.py BASE_URL cursor N ID      -> a token and the cursor of page N of ID's history
       bench_client.py BASE_URL inquiries N ID   -> times N inquiries for ID (captcha fetched
                                                   before each, outside the timed part)
Standard library only, so it runs on any machine with python3.
"""
import json
import statistics
import sys
import time
import urllib.request


def call(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as resp:
        text = resp.read()
        return json.loads(text) if text else None


def captcha(base):
    cid = call(base, "POST", "/api/v1/captcha")["captcha_id"]
    answers = call(base, "GET", "/api/v1/dev/outbox")["captchas"]
    return cid, next(c["answer"] for c in reversed(answers) if c["captcha_id"] == cid)


def login(base, username="fahadest01", password="Rasid@2026"):
    cid, answer = captcha(base)
    ch = call(base, "POST", "/api/v1/login",
              {"username": username, "password": password, "captcha_id": cid, "captcha_answer": answer})
    sms = call(base, "GET", "/api/v1/dev/outbox")["sms"]
    code = next(s["code"] for s in reversed(sms) if s["challenge_id"] == ch["challenge_id"])
    return call(base, "POST", "/api/v1/login/otp", {"challenge_id": ch["challenge_id"], "code": code})["token"]


def main():
    base, what = sys.argv[1], sys.argv[2]
    token = login(base)
    if what == "token":
        print(token)
        return
    if what == "cursor":
        # The cursor of page N (limit=100), walked to page by page as a client would.
        pages, id_number = int(sys.argv[3]), sys.argv[4]
        cursor = None
        for _ in range(pages - 1):
            path = f"/api/v1/people/{id_number}/transactions?limit=100" + (f"&cursor={cursor}" if cursor else "")
            cursor = call(base, "GET", path, token=token)["next_cursor"]
        print(token, cursor)
        return
    n, id_number = int(sys.argv[3]), sys.argv[4]
    times = []
    for _ in range(n):
        cid, answer = captcha(base)
        start = time.perf_counter()
        call(base, "POST", "/api/v1/inquiries/payments-balance",
             {"id_number": id_number, "captcha_id": cid, "captcha_answer": answer}, token)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"inquiries: {n}, median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms "
          f"(client round trip, one at a time)")


if __name__ == "__main__":
    main()
