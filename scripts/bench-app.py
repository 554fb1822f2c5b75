#!/usr/bin/env python3
"""Times the terminal app as a person meets it, in a pseudo-terminal.

  bench-app.py start [RUNS]        process start to the first drawn login screen,
                                   embedded demo server included (median of RUNS);
                                   then what 10 idle seconds on that screen cost
  bench-app.py hledger BASE_URL    exports fahadest01's history as a journal from the app
                                   and times hledger-ui opening it (needs hledger-ui)
  bench-app.py walk BASE_URL       against a `rasid serve --dev` server: log in as
                                   fahadest01, time View -> results for his own ID,
                                   scroll PAGES pages down, report the app's memory
  bench-app.py workers BASE_URL    against a `rasid serve --dev --seed demo-large` server, at
                                   200x60: open the workers' report as fahadest01, scroll to
                                   its end (every worker fetched), open a worker's results,
                                   report the app's peak and current memory (VmHWM, VmRSS)

Standard library only. Uses target/release/rasid.
"""
import json
import os
import pty
import select
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "rasid")


class App:
    def __init__(self, args, cols=120, rows=40):
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        import fcntl, struct, termios
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([BIN, "--image", "halfblocks", "--lang", "en"] + args,
                                     stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                                     cwd=os.getcwd())
        os.close(slave)
        self.out = b""

    def pump(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                self.out += os.read(self.master, 65536)
            except OSError:
                pass

    def wait_for(self, text, timeout=30):
        needle = text.encode()
        start = len(self.out)
        deadline = time.perf_counter() + timeout
        while needle not in self.out[max(0, start - len(needle)):]:
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {text!r}")
            self.pump(0.01)
        return time.perf_counter()

    def send(self, text):
        os.write(self.master, text.encode())

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def status_kib(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def cpu_ms(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def idle(self, where, seconds=10):
        """Bytes written to the terminal and CPU used while nobody touches anything."""
        settle = time.perf_counter() + 1.5
        while time.perf_counter() < settle:
            self.pump(0.05)
        before, cpu = len(self.out), self.cpu_ms()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.pump(0.05)
        print(f"idle {seconds} s on {where}: {len(self.out) - before} bytes written to the terminal, "
              f"{self.cpu_ms() - cpu:.0f} ms CPU")

    def quit(self):
        self.send("\x03")
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def outbox(base):
    with urllib.request.urlopen(base + "/api/v1/dev/outbox") as r:
        return json.loads(r.read())


def open_inquiry(app, base):
    """Logs in as fahadest01 and fills in his own ID, stopping before View.
    Returns when the login screen was drawn."""
    t_login = app.wait_for("Log in to My Services")
    time.sleep(0.3)
    answer = outbox(base)["captchas"][-1]["answer"]
    app.send("fahadest01\tRasid@2026\t" + answer + "\r")
    app.wait_for("A 4-digit code")
    app.send(outbox(base)["sms"][-1]["code"] + "\r")
    app.wait_for("Query Available Funds")
    time.sleep(0.2)
    app.send("\r")
    app.wait_for("ID or iqama number")
    time.sleep(0.3)
    answer = outbox(base)["captchas"][-1]["answer"]
    app.send("1400949291\t" + answer)
    time.sleep(0.2)
    return t_login


def start(runs):
    times = []
    for _ in range(runs):
        app = App([])
        t = app.wait_for("Log in to My Services")
        times.append((t - app.started) * 1000)
        app.quit()
    print(f"start to first login screen: median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f}, {runs} runs)")
    app = App([])
    app.wait_for("Log in to My Services")
    app.idle("the login screen")
    app.quit()


def walk(base, pages):
    app = App(["--server", base])
    open_inquiry(app, base)
    t0 = time.perf_counter()
    app.send("\r")
    app.wait_for("As of:")
    t_results = time.perf_counter()
    app.wait_for("1 of ")
    t_rows = time.perf_counter()
    print(f"View -> results drawn: {(t_results - t0) * 1000:.0f} ms; "
          f"-> first transactions drawn: {(t_rows - t0) * 1000:.0f} ms")
    print(f"memory with the history open: {app.rss_kib() / 1024:.1f} MiB resident")
    app.idle("the results screen (a 1 s timer runs for the idle-session check)")
    app.send("\t")
    before = len(app.out)
    # 300 presses a second: faster than any key repeat, slow enough for the PTY's input buffer.
    for _ in range(pages):
        app.send("\x1b[6~")
        app.pump(0.0)
        time.sleep(0.0033)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        app.pump(0.05)
    # ratatui sends only changed cells; a resize makes it draw everything once more.
    import re, fcntl, struct, termios, signal
    fcntl.ioctl(app.master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 121, 0, 0))
    app.proc.send_signal(signal.SIGWINCH)
    before = len(app.out)
    deadline = time.perf_counter() + 2
    while time.perf_counter() < deadline:
        app.pump(0.05)
    positions = re.findall(rb"([0-9][0-9,]*) of ([0-9][0-9,]*)", app.out[before:])
    where = positions[-1][0].decode() + " of " + positions[-1][1].decode() if positions else "?"
    print(f"after {pages} PageDown presses at 300/s, then a minute to settle: row {where}, {app.rss_kib() / 1024:.1f} MiB resident")
    # One row at a time, each press given time to draw: what scrolling one row costs on the wire.
    presses = 50
    before = len(app.out)
    for _ in range(presses):
        app.send("\x1b[B")
        deadline = time.perf_counter() + 0.03
        while time.perf_counter() < deadline:
            app.pump(0.005)
    print(f"one row down: {(len(app.out) - before) / presses:.0f} bytes written to the terminal per press "
          f"({presses} presses)")
    app.quit()


def workers(base):
    app = App(["--server", base], cols=200, rows=60)
    app.wait_for("Log in to My Services")
    time.sleep(0.3)
    answer = outbox(base)["captchas"][-1]["answer"]
    app.send("fahadest01\tRasid@2026\t" + answer + "\r")
    app.wait_for("A 4-digit code")
    app.send(outbox(base)["sms"][-1]["code"] + "\r")
    # ratatui writes only the cells that changed, so a word may arrive in pieces: wait for whole ones.
    app.wait_for("Establishment")
    time.sleep(0.3)
    t0 = time.perf_counter()
    app.send("/Workers\r")
    app.wait_for("5,000")
    print(f"My Services -> the workers' report with its sums drawn: {(time.perf_counter() - t0) * 1000:.0f} ms")
    print(f"memory with the first page: {app.status_kib('VmRSS') / 1024:.1f} MiB resident")
    # End asks for the next page each time it reaches the last row fetched: 50 pages of 100.
    for _ in range(60):
        app.send("\x1b[F")
        deadline = time.perf_counter() + 0.25
        while time.perf_counter() < deadline:
            app.pump(0.02)
    print(f"memory with every worker fetched: {app.status_kib('VmRSS') / 1024:.1f} MiB resident")
    app.send("\r")
    app.wait_for("Valid:")
    time.sleep(0.5)
    answer = outbox(base)["captchas"][-1]["answer"]
    app.send(answer + "\r")
    app.wait_for("As of:")
    deadline = time.perf_counter() + 3
    while time.perf_counter() < deadline:
        app.pump(0.05)
    print(f"with the report kept and a worker's results open: {app.status_kib('VmRSS') / 1024:.1f} MiB resident, "
          f"peak {app.status_kib('VmHWM') / 1024:.1f} MiB (VmHWM)")
    app.send("\x1b")
    app.wait_for("5,000")
    print(f"back on the report: peak {app.status_kib('VmHWM') / 1024:.1f} MiB (VmHWM)")
    app.quit()


def hledger(base, workdir):
    """Exports fahadest01's history as an hledger journal from the app, then times
    hledger-ui opening its register against rasid opening the same history."""
    app = App(["--server", base])
    app_started = app.started
    t_login = open_inquiry(app, base)
    t0 = time.perf_counter()
    app.send("\r")
    # "As of:" first: the ID field's own hint ("1 of 10 digits.") would match "1 of " too early.
    app.wait_for("As of:")
    app.wait_for("1 of ")
    t_results = time.perf_counter()
    print(f"rasid: start -> login drawn {(t_login - app_started) * 1000:.0f} ms; "
          f"View -> results with the first transactions drawn {(t_results - t0) * 1000:.0f} ms")
    time.sleep(0.5)
    app.send("e")
    time.sleep(0.3)
    app.send("h")
    # The app writes into its working directory; wait until the journal stops growing.
    import glob
    path, size, deadline = None, -1, time.perf_counter() + 300
    while time.perf_counter() < deadline:
        app.pump(0.5)
        found = glob.glob(os.path.join(workdir, "rasid-1400949291-*.journal"))
        if found:
            path = found[0]
            if os.path.getsize(path) == size and size > 0:
                break
            size = os.path.getsize(path)
    app.quit()
    rows = sum(1 for line in open(path) if line[:1].isdigit())
    print(f"exported {rows} transactions to {path} ({os.path.getsize(path) / 1e6:.1f} MB)")
    times = []
    for _ in range(3):
        master, slave = pty.openpty()
        os.set_blocking(master, False)
        import fcntl, struct, termios
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        start = time.perf_counter()
        proc = subprocess.Popen(["hledger-ui", "-f", path, "--register", "assets:absher:passports"],
                                stdin=slave, stdout=slave, stderr=slave, env=dict(os.environ, TERM="xterm-256color"))
        os.close(slave)
        out = b""
        deadline = time.perf_counter() + 600
        while b"transactions (" not in out and time.perf_counter() < deadline:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
        times.append((time.perf_counter() - start) * 1000)
        proc.kill()
        proc.wait()
    print(f"hledger-ui: start -> register drawn, median {statistics.median(times):.0f} ms ({len(times)} runs)")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "start"
    if what == "start":
        start(int(sys.argv[2]) if len(sys.argv) > 2 else 20)
    elif what == "workers":
        workers(sys.argv[2])
    elif what == "hledger":
        hledger(sys.argv[2], os.getcwd())
    else:
        walk(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
