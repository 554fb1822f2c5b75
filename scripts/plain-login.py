#!/usr/bin/env python3
"""Logs the plain commands in to a `rasid serve --dev` server: runs `rasid login`,
answering its prompts with the demo password and the codes from the dev outbox.

usage: plain-login.py RASID_BINARY SERVER_URL [USERNAME]   (the environment picks the session file)
"""

import json
import subprocess
import sys
import time
import urllib.request

RASID, SERVER = sys.argv[1], sys.argv[2].rstrip("/")
USER = sys.argv[3] if len(sys.argv) > 3 else "abdullah01"


def outbox():
    with urllib.request.urlopen(SERVER + "/api/v1/dev/outbox", timeout=10) as resp:
        return json.load(resp)


proc = subprocess.Popen(
    [RASID, "login", "--server", SERVER, "--lang", "en", "--username", USER],
    stdin=subprocess.PIPE,
    stderr=subprocess.PIPE,
    stdout=subprocess.PIPE,
)
seen = b""


def wait_for(prompt):
    global seen
    deadline = time.monotonic() + 30
    while prompt not in seen:
        byte = proc.stderr.read(1)
        if not byte or time.monotonic() > deadline:
            sys.exit(f"rasid login never asked {prompt!r}:\n{seen.decode(errors='replace')}")
        seen += byte
    seen = seen[seen.index(prompt) + len(prompt) :]


def answer(text):
    proc.stdin.write(text.encode() + b"\n")
    proc.stdin.flush()


wait_for(b"Password: ")
answer("Rasid@2026")
wait_for(b"Image code")
answer(outbox()["captchas"][-1]["answer"])
wait_for(b"SMS code: ")
answer(outbox()["sms"][-1]["code"])
proc.stdin.close()
if proc.wait(timeout=30) != 0:
    sys.exit(f"rasid login failed:\n{seen.decode(errors='replace')}{proc.stderr.read().decode(errors='replace')}")
