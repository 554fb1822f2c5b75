#!/usr/bin/env python3
"""Times the establishment's reports, one request at a time over one kept-alive connection,
as fahadest01 against a `rasid serve --dev` server (for the issue's figures: demo-large,
release build, this script in a second process on loopback).

usage: bench-establishment.py SERVER_URL [REQUESTS [SERVER_PID]]
  REQUESTS: a query's timed requests (default 300, after 30 to warm up)
  SERVER_PID: also print the server's CPU time per request (from /proc, steadier than
  wall time on a shared machine)

Each time is the whole round trip: request sent, answer read to its last byte and parsed.
Standard library only.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

BASE = sys.argv[1].rstrip("/")
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 300
SERVER_PID = sys.argv[3] if len(sys.argv) > 3 else None
WARM_UP = 30

login = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dev-login.py")
TOKEN = subprocess.run([sys.executable, login, BASE, "fahadest01"], check=True, capture_output=True, text=True).stdout.strip()
url = urllib.parse.urlsplit(BASE)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
headers = {"authorization": f"Bearer {TOKEN}"}


def get(path):
    connection.request("GET", "/api/v1" + path, headers=headers)
    response = connection.getresponse()
    body = json.loads(response.read())
    if response.status != 200:
        sys.exit(f"{path}: {response.status} {body}")
    return body


def server_cpu_s():
    with open(f"/proc/{SERVER_PID}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(what, path, check):
    for _ in range(WARM_UP):
        get(path)
    cpu_before = server_cpu_s() if SERVER_PID else 0
    times = []
    for _ in range(COUNT):
        start = time.perf_counter()
        body = get(path)
        times.append((time.perf_counter() - start) * 1000)
    cpu = f"   server CPU {(server_cpu_s() - cpu_before) / COUNT * 1e6:5.0f} us/request" if SERVER_PID else ""
    check(body)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{what:<40} p50 {statistics.median(times):6.2f} ms   p99 {p99:6.2f} ms{cpu}   ({COUNT} requests)")


first = get("/establishment/workers?limit=1")
print(f"workers: {first['total_count']}, sums {first['sums']}")


def full_page(body):
    assert len(body["items"]) == 100 and body["total_count"] >= 5000, body["total_count"]


for sort in ["available_desc", "available_asc", "name", "id_number", "oldest_unused"]:
    measure(f"workers, first 100, sort={sort}", f"/establishment/workers?limit=100&sort={sort}", full_page)
deep = get("/establishment/workers?limit=100&sort=name")
for _ in range(24):
    deep = get(f"/establishment/workers?limit=100&sort=name&cursor={deep['next_cursor']}")
measure("workers, 26th page of 100, name", f"/establishment/workers?limit=100&sort=name&cursor={deep['next_cursor']}",
        full_page)
def some(body):
    assert body["items"], "nothing matched"


measure("workers, has_available=true", "/establishment/workers?limit=100&has_available=true", some)
measure("workers, q=khan", "/establishment/workers?limit=100&q=khan", some)
def full_renewals(body):
    assert len(body["items"]) == 100, len(body["items"])


renewals = get("/establishment/renewals?within_days=90")
print(f"renewals within 90 days: {renewals['total_count']}")
measure("renewals, within 90 days, first 100", "/establishment/renewals?within_days=90&limit=100", full_renewals)
measure("renewals, within 366 days, first 100", "/establishment/renewals?within_days=366&limit=100", full_renewals)
