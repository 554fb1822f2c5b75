#!/usr/bin/env python3
"""Times the transactions endpoint over a matrix of filters and sorts on one large history.

Run against a release server with the demo-large seed (a file database is reused on the
next start without reseeding):
    rasid serve --dev --seed demo-large --db /tmp/x.db --bind 127.0.0.1:18431
    python3 scripts/bench-history-filters.py http://127.0.0.1:18431 [--runs 5] [--pages 3]
        [--id 1400949291] [--only SUBSTRING] [--stall THREADS]

Logs in as fahadest01 through the dev outbox. For each sort and filter it times the first
page (limit=100) --runs times, then follows next_cursor --pages times and times each of
those deep pages (the cursor of the last one is replayed --runs times). It prints p50 and
max in ms for both, the total_count, and a refusal's status and message. One request at
a time, so the figures are the server's latency for that query, not a throughput.

A text search the server refuses names the `from` that brings it within its limit; the
matrix then also runs the searches at that limit (the most a served search reads).
--stall N: afterwards, N threads repeat the slowest served search (each on its own
connection) for 10 s while the main thread times the plain first page: what a user with
an ordinary request sees while others search.
Standard library only.
"""
import argparse
import json
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, __import__("os").path.dirname(__file__))
from bench_client import call, login  # noqa: E402

SORTS = ["date_desc", "date_asc", "amount_desc", "amount_asc"]


def get(base, path, token):
    """(status, body, ms) of one GET."""
    req = urllib.request.Request(base + path)
    req.add_header("authorization", "Bearer " + token)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req) as resp:
            body = resp.read()
            status = resp.status
    except urllib.error.HTTPError as err:
        body = err.read()
        status = err.code
    ms = (time.perf_counter() - start) * 1000
    return status, json.loads(body) if body else None, ms


def filters(worker, newest, at_limit):
    """Named query strings. `newest` is the history's last day, so the ranges end where the data does;
    `at_limit` the `from` a refused search names, or None."""
    year, month = int(newest[:4]), int(newest[5:7])
    month_start = f"{year:04}-{month:02}-01"
    year_ago = f"{year - 1:04}{newest[4:]}"
    return [
        ("none", ""),
        ("sector=labour", "sector=labour"),
        ("sector=vehicles (sparse)", "sector=vehicles"),
        ("kind=payment", "kind=payment"),
        ("kind=refund (sparse)", "kind=refund"),
        ("sector=passports&kind=usage", "sector=passports&kind=usage"),
        ("sector=labour&kind=refund (none)", "sector=labour&kind=refund"),
        ("from/to this month", f"from={month_start}&to={newest}"),
        ("from/to a year", f"from={year_ago}&to={newest}"),
        ("from/to 5 years", f"from={year - 5:04}-01-01&to={newest}"),
        ("from only (old)", "from=2016-01-01"),
        ("to only (old)", "to=2016-06-30"),
        ("kind=refund&from/to 5 years", f"kind=refund&from={year - 5:04}-01-01&to={newest}"),
        ("sector=labour&from/to a year", f"sector=labour&from={year_ago}&to={newest}"),
        ("q=zz (no match)", "q=zz"),
        ("q=SADAD (all)", "q=SADAD"),
        ("q=worker ID", f"q={worker}"),
        ("q=re-entry (service name)", "q=re-entry"),
        ("q=zz&sector=vehicles", "q=zz&sector=vehicles"),
        ("q=worker&sector=labour", f"q={worker}&sector=labour"),
        ("q=zz&from/to this month", f"q=zz&from={month_start}&to={newest}"),
        ("q=worker&from/to a year", f"q={worker}&from={year_ago}&to={newest}"),
        ("q=zz&kind=refund", "q=zz&kind=refund"),
    ] + ([
        ("q=zz&from=(at the limit)", f"q=zz&from={at_limit}"),
        ("q=SADAD&from=(at the limit)", f"q=SADAD&from={at_limit}"),
        ("q=worker&from=(at the limit)", f"q={worker}&from={at_limit}"),
    ] if at_limit else [])


def stall(base, token, path, plain, threads, seconds=10.0):
    """Times `plain` one at a time while `threads` threads repeat `path`."""
    stop = time.monotonic() + seconds
    heavy = []

    def hammer():
        while time.monotonic() < stop:
            heavy.append(get(base, path, token)[2])

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for w in workers:
        w.start()
    light = []
    while time.monotonic() < stop:
        light.append(get(base, plain, token)[2])
    for w in workers:
        w.join()
    light.sort()
    heavy.sort()
    p99 = light[min(len(light) - 1, int(len(light) * 0.99))]
    print(f"stall: {threads} threads repeating {path}: {len(heavy)} done, p50 {statistics.median(heavy):.1f} ms, "
          f"max {max(heavy):.1f} ms")
    print(f"       meanwhile {plain}: {len(light)} done, p50 {statistics.median(light):.1f} ms, "
          f"p99 {p99:.1f} ms, max {max(light):.1f} ms")


def summary(times):
    return f"{statistics.median(times):8.1f} {max(times):8.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pages", type=int, default=3)
    ap.add_argument("--id", default="1400949291")
    ap.add_argument("--only", default=None, help="run only the filters whose name contains this")
    ap.add_argument("--stall", type=int, default=0, help="threads repeating the slowest served search")
    args = ap.parse_args()
    token = login(args.base)
    people = call(args.base, "GET", "/api/v1/me/people", token=token)
    worker = next(p["id_number"] for p in people if p["relation"] == "worker")
    _, first, _ = get(args.base, f"/api/v1/people/{args.id}/transactions?limit=1", token)
    newest = first["items"][0]["date"]
    status, refusal, _ = get(args.base, f"/api/v1/people/{args.id}/transactions?q=zz", token)
    named = re.search(r"`from=(\d{4}-\d{2}-\d{2})`", (refusal or {}).get("error", {}).get("message", ""))
    at_limit = named.group(1) if status == 400 and named else None
    print(f"ID {args.id}: {first['total_count']} transactions, newest {newest}; worker {worker}; "
          f"limit=100, {args.runs} runs a page, {args.pages} deep pages")
    print(f"{'filter':34} {'sort':11} {'first p50':>9} {'max':>8} {'deep p50':>9} {'max':>8} {'total_count':>11}")
    slowest = 0.0
    for name, query in filters(worker, newest, at_limit):
        if args.only and args.only not in name:
            continue
        for sort in SORTS:
            path = f"/api/v1/people/{args.id}/transactions?limit=100&sort={sort}"
            if query:
                path += "&" + "&".join(
                    f"{k}={urllib.parse.quote(v)}" for k, v in (p.split("=", 1) for p in query.split("&")))
            firsts = []
            for _ in range(args.runs):
                status, body, ms = get(args.base, path, token)
                firsts.append(ms)
            slowest = max(slowest, max(firsts))
            if status != 200:
                message = (body or {}).get("error", {}).get("message", "")
                print(f"{name:34} {sort:11} {summary(firsts)} {status} {message}")
                continue
            total = body["total_count"]
            deep = []
            cursor = body["next_cursor"]
            for _ in range(args.pages):
                if not cursor:
                    break
                times = []
                for _ in range(args.runs):
                    status, page, ms = get(args.base, path + "&cursor=" + cursor, token)
                    times.append(ms)
                deep.extend(times)
                cursor = page["next_cursor"] if status == 200 else None
            slowest = max([slowest] + deep)
            deep_text = summary(deep) if deep else f"{'-':>8} {'-':>8}"
            print(f"{name:34} {sort:11} {summary(firsts)} {deep_text} {total:11}")
    print(f"slowest request: {slowest:.1f} ms")
    if args.stall:
        heavy = f"q=zz&from={at_limit}" if at_limit else "q=zz"
        stall(args.base, token, f"/api/v1/people/{args.id}/transactions?limit=100&sort=amount_asc&{heavy}",
              f"/api/v1/people/{args.id}/transactions?limit=100", args.stall)


if __name__ == "__main__":
    main()
