#!/usr/bin/env python3
"""Many consoles attached to one `orderdesk serve` while a big sync runs, in tmux at 120x40.

usage: scripts/bench_service.py BIN [CONSOLES] [ORDERS]   (defaults: 20 consoles, 20,000 orders)

Starts the Shopify simulator with ORDERS orders as store `web`'s shop, then `orderdesk serve`
on an empty store (its first sync starts at once), then CONSOLES consoles attached to it, each
in its own tmux window. While the sync runs it measures, on the first console:
  - key -> screen: `tmux send-keys` (j / k in turn) until the captured screen changes (tmux
    capture-pane polled every 2 ms), and the console's own timing of each key until the frame
    with its answer is drawn (its log, target orderdesk::latency);
and, after the sync, a change made elsewhere until this console shows it: `orderdesk order
REF identify --create` through the service for an order waiting for its customer on the first
console's screen, 5 s after the sync ended, ten times (and the command alone, start to exit), until that order's row there changes
(counted from starting the command: an upper bound); and, all along, the service's RSS (VmRSS
sampled every 0.5 s, VmHWM at the end) and the consoles' RSS. Prints figures; asserts nothing.
"""
import json, os, re, statistics, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchstats import summary  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
CONSOLES = int(sys.argv[2]) if len(sys.argv) > 2 else 20
ORDERS = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
SOCK = f"odsvc{os.getpid()}"


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCK, *args], capture_output=True, text=True).stdout


def screen(win="c0"):
    return tmux("capture-pane", "-p", "-t", win)


def proc_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    home = tempfile.mkdtemp(prefix="odsvc")
    data, cfg, log = f"{home}/store", f"{home}/orderdesk.toml", f"{home}/orderdesk.log"
    env = dict(os.environ, XDG_CONFIG_HOME=f"{home}/config", SHOP_TOKEN="t", TERM="xterm-256color")
    sim = subprocess.Popen([BIN, "sim", "--platform", "shopify", "--listen", "127.0.0.1:0",
                            "--orders", str(ORDERS)], stdout=subprocess.PIPE, text=True, env=env)
    url = sim.stdout.readline().strip().removeprefix("listening on ")
    with open(cfg, "w") as f:
        f.write(f'operator = "bench"\nlog_file = "{log}"\n[[store]]\nid = "web"\n'
                f'platform = "shopify"\nurl = "{url}"\ntoken_env = "SHOP_TOKEN"\n'
                f'poll_seconds = 86400\n')
    os.chmod(cfg, 0o600)
    t_start = time.perf_counter()
    serve = subprocess.Popen([BIN, "serve", "--config", cfg, "--data", data],
                             stderr=subprocess.DEVNULL, env=dict(env, ORDERDESK_LOG=os.environ.get("SERVICE_LOG", "info")))
    sock = f"{data}/orderdesk.sock"
    while not os.path.exists(sock):
        time.sleep(0.01)
    rss = []

    def sample():
        kb = proc_kb(serve.pid, "VmRSS")
        if kb:
            rss.append(kb)

    tmux("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "120", "-y", "40",
         "-n", "c0", "sh")
    tmux("set", "-g", "escape-time", "0")
    for i in range(CONSOLES):
        lat = "info,orderdesk::latency=debug" if i == 0 else "info"
        cmd = (f"env XDG_CONFIG_HOME={home}/config SHOP_TOKEN=t ORDERDESK_LOG={lat} "
               f"{BIN} --config {cfg} --data {data}")
        if i == 0:
            tmux("respawn-window", "-k", "-t", "c0", cmd)
        else:
            tmux("new-window", "-d", "-n", f"c{i}", cmd)
    t0 = time.perf_counter()
    # Attached and showing rows (the first orders of the sync).
    while not re.search(r"#\d+ ", screen()) and time.perf_counter() - t0 < 120:
        time.sleep(0.01)
    attached = time.perf_counter() - t_start
    sample()

    def sync_done():
        r = subprocess.run([BIN, "status", "--json", "--config", cfg, "--data", data],
                           capture_output=True, text=True, env=env)
        try:
            stores = json.loads(r.stdout)["stores"]
        except (ValueError, KeyError):
            return False
        last = stores[0]["last_sync"] if stores else None
        return bool(last and last.get("finished_at"))

    outside, unchanged = [], 0
    key = "j"
    last_check = 0.0
    done_at = None
    while True:
        before = screen()
        t = time.perf_counter()
        tmux("send-keys", "-t", "c0", key)
        changed = False
        while time.perf_counter() - t < 1:
            if screen() != before:
                changed = True
                break
            time.sleep(0.002)
        if changed:
            outside.append((time.perf_counter() - t) * 1000)
        else:
            unchanged += 1
        key = "k" if key == "j" else "j"
        sample()
        time.sleep(0.05)
        if time.perf_counter() - last_check > 1:
            last_check = time.perf_counter()
            if sync_done():
                done_at = time.perf_counter() - t_start
                break
        if time.perf_counter() - t_start > 1800:
            break
    hwm = proc_kb(serve.pid, "VmHWM")

    # A change made through the service, until this console's screen shows it: the first
    # row's order identified (a customer created from it), its row's state changes.
    # Once the consoles have caught up with the sync (measured settled: 5 s after it ended).
    time.sleep(5)
    tmux("send-keys", "-t", "c0", "Home")
    time.sleep(0.3)
    # (The screen also changes by itself each second: the row is watched, not the screen.)
    def row(name):
        return next((l for l in screen().splitlines() if f"#{name} " in l), "")

    props, commands, after_exit = [], [], []
    for _ in range(10):
        m = re.search(r"#(\d+)\s.*customer ID needed", screen())
        if not m:
            break
        t = time.perf_counter()
        p = subprocess.Popen([BIN, "order", f"web:{m.group(1)}", "identify", "--create",
                              "--config", cfg, "--data", data], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env)
        exited = None
        while "customer ID needed" in row(m.group(1)) and time.perf_counter() - t < 5:
            if exited is None and p.poll() is not None:
                exited = time.perf_counter()
            time.sleep(0.002)
        shown = time.perf_counter()
        props.append((shown - t) * 1000)
        p.wait()
        exited = exited or time.perf_counter()
        commands.append((exited - t) * 1000)
        after_exit.append(max(0.0, shown - exited) * 1000)
        time.sleep(0.5)
    consoles_rss = []
    for line in tmux("list-panes", "-a", "-F", "#{pane_pid}").split():
        kb = proc_kb(int(line), "VmRSS")
        if kb:
            consoles_rss.append(kb)
    inside = []
    with open(log, errors="replace") as f:
        for line in f:
            mm = re.search(r"key_to_screen_us=(\d+)", line)
            if mm:
                inside.append(int(mm.group(1)) / 1000)
    status = json.loads(subprocess.run([BIN, "status", "--json", "--config", cfg, "--data", data],
                                       capture_output=True, text=True, env=env).stdout)
    tmux("kill-server")
    serve.terminate()
    serve.wait()
    sim.terminate()
    print(f"(files in {home})")
    print(f"consoles {CONSOLES}, shop orders {ORDERS}; stored {status['orders']['total']}; "
          f"last sync fetched {status['stores'][0]['last_sync']['fetched']}")
    print(f"console 1 showed orders {attached:.1f} s after serve started; "
          f"sync finished {done_at and f'{done_at:.1f} s' or 'not within the limit'}")
    print(f"key -> screen on console 1 during the sync, outside (tmux): {summary(outside)}"
          f" ({unchanged} keys left the screen as it was within 1 s, not counted)")
    print(f"key -> answer drawn, console's clock: {summary(inside)}")
    print(f"a change through the service -> its row on console 1 (from starting "
          f"`order … identify --create`): {summary(props)}")
    print(f"  the command itself, start to exit: {summary(commands)}")
    print(f"  its row on console 1 after the command exited: {summary(after_exit)}")
    print(f"service RSS: max sampled {max(rss) / 1024:.1f} MB, VmHWM {hwm and hwm / 1024:.1f} MB"
          if rss else "service RSS: no samples")
    if consoles_rss:
        print(f"consoles' RSS: mean {statistics.mean(consoles_rss) / 1024:.1f} MB, "
              f"max {max(consoles_rss) / 1024:.1f} MB (tmux's pane processes: the env wrapper exec's)")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
