#!/usr/bin/env python3
"""Times `at=` (a page from a day, with its `position`) and the walk back by `prev_cursor`
on one large history.

Run against a release server with the demo-large seed (a file database is reused on the
next start without reseeding):
    rasid serve --dev --seed demo-large --db /tmp/x.db --bind 127.0.0.1:18431
    python3 scripts/bench-history-at.py http://127.0.0.1:18431 [--days 200] [--id 1400949291]

Logs in as fahadest01 through the dev outbox. For each date sort (and a sector filter) it
asks for the page of 100 from --days days spread evenly over the history, one request at a
time, and prints p50, p99 and max in ms; then the same for the page before each landing
(its prev_cursor), and for the last page (the reverse sort's first). It checks that each
landing's first row is on or before (date_desc) or on or after (date_asc) its day.
Standard library only.
"""
import argparse
import datetime
import json
import statistics
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, __import__("os").path.dirname(__file__))
from bench_client import login  # noqa: E402


def get(base, path, token):
    req = urllib.request.Request(base + path)
    req.add_header("authorization", "Bearer " + token)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req) as resp:
            body, status = resp.read(), resp.status
    except urllib.error.HTTPError as err:
        body, status = err.read(), err.code
    return status, json.loads(body) if body else None, (time.perf_counter() - start) * 1000


def line(name, ms):
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    print(f"{name:<44} p50 {statistics.median(ms):6.1f} ms  p99 {p99:6.1f} ms  max {ms[-1]:6.1f} ms  ({len(ms)} requests)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--days", type=int, default=200)
    ap.add_argument("--id", default="1400949291")
    args = ap.parse_args()
    base, token = args.base.rstrip("/"), login(args.base.rstrip("/"))
    people = f"/api/v1/people/{args.id}/transactions"
    path = people + "?limit=100"
    _, newest, _ = get(base, people + "?sort=date_desc&limit=1", token)
    _, oldest, _ = get(base, people + "?sort=date_asc&limit=1", token)
    first = datetime.date.fromisoformat(oldest["items"][0]["date"])
    last = datetime.date.fromisoformat(newest["items"][0]["date"])
    print(f"{args.id}: {newest['total_count']:,} rows from {first} to {last}")
    # Days spread over the history, and one past each end.
    span = (last - first).days
    days = [first + datetime.timedelta(days=span * i // (args.days - 1)) for i in range(args.days)]
    days += [first - datetime.timedelta(days=400), last + datetime.timedelta(days=400)]
    for filt in ["", "&sector=labour", "&kind=refund"]:
        for sort in ["date_desc", "date_asc"]:
            landing, back, positions = [], [], []
            for day in days:
                status, body, ms = get(base, f"{path}&sort={sort}{filt}&at={day}", token)
                if status != 200:
                    raise SystemExit(f"{sort}{filt} at={day}: {status} {body}")
                landing.append(ms)
                positions.append(body["position"])
                items = body["items"]
                inside = first <= day <= last
                if items and inside:
                    d = items[0]["date"]
                    ok = d <= day.isoformat() if sort == "date_desc" else d >= day.isoformat()
                    # A day past a filtered list's last row lands on its last rows.
                    if not ok and body["next_cursor"] is not None:
                        raise SystemExit(f"{sort}{filt} at={day}: first row on {d}")
                if body["prev_cursor"]:
                    status, _, ms = get(base, f"{path}&sort={sort}{filt}&cursor={body['prev_cursor']}", token)
                    back.append(ms)
            line(f"at= {sort}{filt}", landing)
            if back:
                line(f"   its prev_cursor page", back)
            print(f"   positions from {min(positions):,} to {max(positions):,}")
        reverse = []
        for _ in range(20):
            _, body, ms = get(base, f"{path}&sort=date_asc{filt}", token)
            reverse.append(ms)
        line(f"last page (reverse sort){filt}", reverse)


if __name__ == "__main__":
    main()
