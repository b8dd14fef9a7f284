#!/usr/bin/env python3
"""The console while a catalog sync runs: key -> screen, measured from outside as a person
sees it, in tmux at 120x40.

usage: scripts/bench_console_catalog.py BIN [PLATFORM] [CATALOG] [PASSES] [MAX_SECONDS]
       (defaults: woocommerce 50000 1 600)

Starts `BIN sim --platform PLATFORM --orders 200 --catalog CATALOG` (the platform's own rate
limit as its simulator enforces it) as store `shop`'s shop, imports the simulator's
products.csv into a fresh store, runs one `sync --once` (so the Pending pane has orders),
then opens the console on it. It measures key -> screen twice with the same keys (down, up,
switching panes 1/3/1, opening an order's detail and going back): first with nothing
running (the baseline), then from `c` (confirmed with `y`) on the store in the Sync log
until the console's log says the catalog sync is done (or MAX_SECONDS), PASSES times (a
pass after the first updates every product instead of creating it). Each key: from `tmux
send-keys` until the screen changed (capture-pane polled as fast as it answers), the first
line (the stores and their spinners) and the last (the footer with the sync's progress
bar) left out of the comparison, since they change by themselves while the sync runs. Also
prints the sync's products a second, the console's CPU while it ran, the load average
before and after, and the console's own key -> frame figures from its log.
Prints figures; asserts nothing.
"""
import os, re, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchstats import cpu_ticks, log_values, pane_process, summary  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
PLATFORM = sys.argv[2] if len(sys.argv) > 2 else "woocommerce"
CATALOG = int(sys.argv[3]) if len(sys.argv) > 3 else 50000
PASSES = int(sys.argv[4]) if len(sys.argv) > 4 else 1
MAX_SECONDS = float(sys.argv[5]) if len(sys.argv) > 5 else 600
DONE = re.compile(r"orderdesk::sync::catalog: (catalog: (\d+) products read|catalog sync stopped)")
SOCK = f"odcatalog{os.getpid()}"
CREDENTIALS = {
    "tray": 'key_env = "K"\nsecret_env = "S"\ncode_env = "C"',
    "shoprenter": 'user_env = "K"\npassword_env = "S"',
    "woocommerce": 'key_env = "K"\nsecret_env = "S"',
}
ENV = dict(os.environ, K="k", S="s", C="c")
# The keys pressed, round after round: each changes the body of the screen.
ROUND = [["Down"], ["Down"], ["Up"], ["Up"], ["3"], ["1"], ["Enter"], ["Escape"]]


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCK, *args], capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "m")


def body(s):
    lines = s.splitlines()
    return "\n".join(lines[1:-1])


def wait_for(pred, limit=60.0, step=0.01):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        s = screen()
        if pred(s):
            return time.perf_counter() - t0
        time.sleep(step)
    return None


def press(key, limit=5.0):
    """Sends one key; ms until the screen's body changed (None: it did not within `limit`)."""
    before = body(screen())
    t0 = time.perf_counter()
    tmux("send-keys", "-t", "m", *key)
    while time.perf_counter() - t0 < limit:
        if body(screen()) != before:
            return (time.perf_counter() - t0) * 1000
    return None


def rounds(until, settle=0.05):
    """Presses the keys of ROUND in turn until `until()`; the times, and keys without an
    answer."""
    times, missed, n = [], 0, 0
    while not until():
        took = press(ROUND[n % len(ROUND)])
        n += 1
        if took is None:
            missed += 1
        else:
            times.append(took)
        time.sleep(settle)
    if ROUND[(n - 1) % len(ROUND)] == ["Enter"]:
        press(["Escape"])  # back from the order's detail, not measured
    return times, missed


class Done:
    """Whether the console's log says the catalog sync ended, read on from `at`."""

    def __init__(self, log, at):
        self.log, self.at, self.read = log, at, None

    def __call__(self):
        with open(self.log, errors="replace") as f:
            f.seek(self.at)
            text = f.read()
        m = DONE.search(text)
        if m:
            self.read = int(m.group(2)) if m.group(2) else 0
            return True
        # Only whole lines are read again.
        self.at += text.rfind("\n") + 1
        return False


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    tmp = tempfile.mkdtemp(prefix="orderdesk-bench-console-catalog-")
    data, log = os.path.join(tmp, "data"), os.path.join(tmp, "console.log")
    sim = subprocess.Popen([BIN, "sim", "--platform", PLATFORM, "--listen", "127.0.0.1:0",
                            "--orders", "200", "--catalog", str(CATALOG),
                            "--export", os.path.join(tmp, "export")],
                           stdout=subprocess.PIPE, text=True)
    try:
        url = sim.stdout.readline().strip().split("listening on ", 1)[1]
        cfg = os.path.join(tmp, "orderdesk.toml")
        creds = CREDENTIALS.get(PLATFORM, 'token_env = "K"')
        with open(cfg, "w") as f:
            f.write(f'operator = "bench"\ntimezone = "UTC"\nlog_file = "{log}"\n\n'
                    f'[[store]]\nid = "shop"\nplatform = "{PLATFORM}"\nurl = "{url}"\n'
                    f'{creds}\npoll_seconds = 3600\n')
        os.chmod(cfg, 0o600)
        od = [BIN, "--config", cfg, "--data", data]
        subprocess.run(od + ["import", "products", os.path.join(tmp, "export", "products.csv")],
                       env=ENV, check=True, capture_output=True)
        subprocess.run(od + ["sync", "--once"], env=ENV, capture_output=True)
        env = " ".join(f"{k}={v}" for k, v in [("K", "k"), ("S", "s"), ("C", "c"),
                       ("ORDERDESK_LOG", "info,orderdesk::latency=debug")])
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "m", "-x", "120", "-y", "40",
             f"env {env} {' '.join(od)}")
        tmux("set", "-g", "escape-time", "0")
        if wait_for(lambda s: "✓" in s, limit=120) is None:
            print("console: no finished sync on screen within 120 s:\n" + screen())
            return
        time.sleep(1)
        pid = pane_process(tmux)
        base_end = time.perf_counter() + 20
        baseline, base_missed = rounds(lambda: time.perf_counter() > base_end)
        load_before, mark = loadavg(), os.path.getsize(log)
        during, missed, secs, read, c0 = [], 0, 0.0, 0, cpu_ticks(pid)
        for n in range(PASSES):
            press(["2"])
            time.sleep(0.3)
            tmux("send-keys", "-t", "m", "c")
            if wait_for(lambda s: "Sync the catalog" in s, limit=10) is None:
                print("no confirmation for c:\n" + screen())
                return
            done = Done(log, os.path.getsize(log))
            t0 = time.perf_counter()
            tmux("send-keys", "-t", "m", "y")
            wait_for(lambda s: "Sync the catalog" not in s, limit=10, step=0.002)
            press(["1"])
            times, m = rounds(lambda: done() or time.perf_counter() - t0 > MAX_SECONDS)
            took = time.perf_counter() - t0
            during += times
            missed += m
            secs += took
            read += done.read or 0
            print(f"pass {n + 1}: {done.read if done.read is not None else 'not done'} products "
                  f"in {took:.1f} s; key -> screen {summary(times)}")
            time.sleep(1)
        c1, load_after = cpu_ticks(pid), loadavg()
        hz = os.sysconf("SC_CLK_TCK")
        print(f"{PLATFORM}, {CATALOG:,} generated products + the seeded ones; console 120x40")
        print(f"baseline, nothing running, 20 s: key -> screen {summary(baseline)}"
              f"{f'; {base_missed} keys without an answer in 5 s' if base_missed else ''}")
        print(f"during the catalog sync ({PASSES} pass(es), {secs:.1f} s): key -> screen "
              f"{summary(during)}{f'; {missed} keys without an answer in 5 s' if missed else ''}")
        own = [us / 1000 for us in log_values(log, mark, "key_to_screen_us")]
        print(f"the console's own key -> frame drawn, from the first pass on: {summary(own)}")
        print(f"catalog sync: {read:,} products in {secs:.1f} s = {read / secs:,.0f} products/s "
              f"(with the keys pressed)")
        print(f"console process CPU (the sync runs in it) while the passes ran: "
              f"{100 * (c1 - c0) / hz / secs:.0f} % of one core; "
              f"load average {load_before} -> {load_after}")
        tmux("send-keys", "-t", "m", "q")
        time.sleep(1)
    finally:
        tmux("kill-server")
        sim.terminate()
        print(f"(log in {tmp})")


if __name__ == "__main__":
    main()
