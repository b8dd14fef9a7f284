#!/usr/bin/env python3
"""The console on a big store, measured as a person uses it, in tmux at 120x40.

usage: scripts/bench_console.py BIN STORE_DIR [IDLE_SECONDS] [POLL_IDLE_SECONDS]

Starts the Shopify simulator (200 orders) as store `web`'s shop, then the console on STORE_DIR
(filled by `orderdesk bench-data`) and measures:
  - first frame: from starting the program until the Pending pane shows order rows (from
    outside: tmux capture-pane polled every 2 ms; and the console's own figure from its log);
  - key -> screen: for scrolling, page down, switching pane, opening a detail, opening a form
    and typing a filter: from `tmux send-keys` until the screen changes (outside), and the
    console's own timing of each key until the frame with its answer is drawn (its log,
    target orderdesk::latency); drawing one 120x40 frame (its log);
  - idle with no sync due: bytes written to the terminal and CPU over IDLE_SECONDS; peak RSS;
  - with a sync every 60 s against the unchanged shop: bytes written over POLL_IDLE_SECONDS.
Prints figures; asserts nothing.
"""
import os, re, statistics, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchstats import cpu_ticks, log_values, pane_process, pct, summary  # noqa: E402

BIN, STORE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
IDLE = int(sys.argv[3]) if len(sys.argv) > 3 else 60
POLL_IDLE = int(sys.argv[4]) if len(sys.argv) > 4 else 130
SOCK = f"odbench{os.getpid()}"
ROW = re.compile(r"#1\d{5}")
# An order among the newest 2 % of a bench-data store (left open), for the one-match filter.
FILTER_ONE = os.environ.get("FILTER_ONE", "1095432")


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCK, *args], capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "m")


def wait_for(pred, limit=30.0, step=0.002):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        s = screen()
        if pred(s):
            return time.perf_counter() - t0, s
        time.sleep(step)
    return None, screen()


def start_sim():
    sim = subprocess.Popen([BIN, "sim", "--platform", "shopify", "--listen", "127.0.0.1:0",
                            "--orders", "200"], stdout=subprocess.PIPE, text=True)
    line = sim.stdout.readline().strip()
    url = line.split("listening on ", 1)[1]
    return sim, url


def config(tmp, url, poll):
    path = os.path.join(tmp, f"orderdesk-{poll}.toml")
    token = os.path.join(tmp, "token")
    with open(token, "w") as f:
        f.write("bench-token\n")
    os.chmod(token, 0o600)
    with open(path, "w") as f:
        f.write(f"""operator = "bench"
timezone = "UTC"
log_file = "{tmp}/console.log"

[[store]]
id = "web"
platform = "shopify"
url = "{url}"
token_file = "{token}"
currency = "EUR"
poll_seconds = {poll}
unknown_customer = "park"

[store.carriers]
GLS = "GLS"
DPD = "DPD"
MPL = "MPL"
""")
    os.chmod(path, 0o600)
    return path


def start_console(cfg):
    env = "ORDERDESK_LOG=info,orderdesk::latency=debug"
    t0 = time.perf_counter()
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "m", "-x", "120", "-y", "40",
         f"env {env} {BIN} --config {cfg} --data {STORE}")
    tmux("set", "-g", "escape-time", "0")
    took, s = wait_for(lambda s: ROW.search(s) is not None)
    return t0, took, s


def rss_peak_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


def press(keys, settle=0.03):
    """Sends each key; returns ms until the screen changed, per key."""
    out = []
    for k in keys:
        before = screen()
        t0 = time.perf_counter()
        tmux("send-keys", "-t", "m", *k)
        while screen() == before and time.perf_counter() - t0 < 2:
            pass
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(settle)
    return out


def log_figures(log, since):
    keys = [us / 1000 for us in log_values(log, since, "key_to_screen_us")]
    draws = [us / 1000 for us in log_values(log, since, "draw_us")]
    first = next(iter(log_values(log, since, "since_start_ms")), None)
    return keys, draws, first


def main():
    tmp = tempfile.mkdtemp(prefix="orderdesk-bench-console-")
    sim, url = start_sim()
    log = os.path.join(tmp, "console.log")
    try:
        cfg = config(tmp, url, 3600)
        _, took, s = start_console(cfg)
        if took is None:
            print("console: no order rows within 30 s; screen:\n" + s)
            return
        print(f"first frame with order rows (outside, tmux): {took * 1000:.0f} ms")
        wait_for(lambda s: "✓" in s, limit=120, step=0.05)
        time.sleep(1)
        mark = os.path.getsize(log)
        tests = {
            "scroll (down/up)": [["Down"], ["Up"]] * 20,
            "page down/up": [["PageDown"], ["PageUp"]] * 10,
            "switch pane (2/3/1)": [["2"], ["3"], ["1"]] * 6,
            "open detail / back": [["Enter"], ["Escape"]] * 8,
            "open form / cancel": [["p"], ["Escape"]] * 8,
        }
        outside = {}
        for name, keys in tests.items():
            outside[name] = press(keys, settle=0.2 if "Escape" in str(keys) else 0.03)
        # Two filters: a common name (many matches: the first page fills at once) and one
        # order's name (one match: without the words index the whole Pending index is read,
        # page after page). The console's own figure for each typed key runs until the frame
        # showing the filter's rows, every page it needed answered.
        filters = {}
        for label, word in [("a common name", "kovacs"), ("one order's name", FILTER_ONE)]:
            time.sleep(0.5)
            at = os.path.getsize(log)
            typed = press([["/"]] + [["-l", c] for c in word], settle=0.15)
            time.sleep(0.5)
            filters[f"filter {label} ({word}), typed key -> filtered rows drawn"] = log_figures(log, at)[0][1:]
            shown = [ln for ln in screen().splitlines() if "match" in ln]
            print(f"filter {word}: title {shown[0].strip() if shown else '(no title with match)'}")
            press([["Escape"]], settle=0.3)
            outside[f"filter {word} (/ then typing)"] = typed
        for name, v in outside.items():
            print(f"key -> screen, outside, {name}: {summary(v)}")
        allv = [x for v in outside.values() for x in v]
        print(f"key -> screen, outside, all: {summary(allv)}")
        time.sleep(0.5)
        keys, draws, first = log_figures(log, mark)
        print(f"key -> frame drawn, console's own timing: {summary(keys)}")
        for name, v in filters.items():
            print(f"{name}, console's own timing: {summary(v)}")
        print(f"drawing a 120x40 frame: {summary(draws)}")
        _, _, first = log_figures(log, 0)
        print(f"first frame with orders, console's own timing from process start: {first} ms")
        pid = pane_process(tmux)
        time.sleep(3)
        tmux("pipe-pane", "-o", "-t", "m", f"cat >> {tmp}/bytes")
        time.sleep(1)
        b0 = os.path.getsize(f"{tmp}/bytes") if os.path.exists(f"{tmp}/bytes") else 0
        c0 = cpu_ticks(pid)
        time.sleep(IDLE)
        b1 = os.path.getsize(f"{tmp}/bytes") if os.path.exists(f"{tmp}/bytes") else 0
        c1 = cpu_ticks(pid)
        hz = os.sysconf("SC_CLK_TCK")
        print(f"idle, no sync due, {IDLE} s: {b1 - b0} bytes written, "
              f"CPU {100 * (c1 - c0) / hz / IDLE:.2f} %")
        print(f"peak RSS: {rss_peak_mb(pid):.0f} MB")
        tmux("send-keys", "-t", "m", "q")
        time.sleep(1)
        tmux("kill-server")
        if POLL_IDLE > 0:
            cfg = config(tmp, url, 60)
            start_console(cfg)
            wait_for(lambda s: "✓" in s, limit=120, step=0.05)
            time.sleep(2)
            pid = pane_process(tmux)
            tmux("pipe-pane", "-o", "-t", "m", f"cat >> {tmp}/bytes60")
            time.sleep(1)
            c0 = cpu_ticks(pid)
            time.sleep(POLL_IDLE)
            c1 = cpu_ticks(pid)
            b = os.path.getsize(f"{tmp}/bytes60") if os.path.exists(f"{tmp}/bytes60") else 0
            print(f"sync every 60 s against the unchanged shop, {POLL_IDLE} s: {b} bytes written "
                  f"(a full 120x40 screen is 4,800 cells), CPU {100 * (c1 - c0) / hz / POLL_IDLE:.2f} %, "
                  f"peak RSS {rss_peak_mb(pid):.0f} MB")
            tmux("send-keys", "-t", "m", "q")
            time.sleep(1)
    finally:
        tmux("kill-server")
        sim.terminate()
        print(f"(log and terminal bytes in {tmp})")


if __name__ == "__main__":
    main()
