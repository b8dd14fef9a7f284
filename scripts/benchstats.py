"""Percentiles, one-line summaries and process figures for the benchmark scripts."""
import re
import subprocess


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round((len(v) - 1) * q)))] if v else float("nan")


def summary(values, unit="ms"):
    if not values:
        return "no samples"
    return (f"n={len(values)} p50={pct(values, .5):.2f} p99={pct(values, .99):.2f} "
            f"max={max(values):.2f} {unit}")


def cpu_ticks(pid):
    """User + system CPU ticks of process `pid` so far."""
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])


def pane_process(tmux):
    """The program running in tmux pane `m` (`tmux`: runs a tmux command, answers its stdout)."""
    ppid = tmux("display", "-p", "-t", "m", "#{pane_pid}").strip()
    kids = subprocess.run(["pgrep", "-P", ppid], capture_output=True, text=True).stdout.split()
    return int(kids[0]) if kids else int(ppid)


def log_values(log, since, field):
    """Every `field=N` in the log file from byte `since` on, in order."""
    pattern = re.compile(field + r"=(\d+)")
    with open(log, errors="replace") as f:
        f.seek(since)
        return [int(m.group(1)) for m in pattern.finditer(f.read())]
