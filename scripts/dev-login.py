#!/usr/bin/env python3
"""Logs in to a `rasid serve --dev` server through its outbox and prints the token.

usage: dev-login.py SERVER_URL [USERNAME]   (password: the demo accounts' own)
"""

import json
import sys
import urllib.request

BASE = sys.argv[1].rstrip("/") + "/api/v1"
USER = sys.argv[2] if len(sys.argv) > 2 else "abdullah01"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


captcha = call("POST", "/captcha", {})["captcha_id"]
answer = next(c["answer"] for c in call("GET", "/dev/outbox")["captchas"] if c["captcha_id"] == captcha)
login = {"username": USER, "password": "Rasid@2026", "captcha_id": captcha, "captcha_answer": answer}
challenge = call("POST", "/login", login)["challenge_id"]
code = next(s["code"] for s in call("GET", "/dev/outbox")["sms"] if s["challenge_id"] == challenge)
print(call("POST", "/login/otp", {"challenge_id": challenge, "code": code})["token"])
