"""Percentiles and one-line summaries for the benchmark scripts."""


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round((len(v) - 1) * q)))] if v else float("nan")


def summary(values, unit="ms"):
    if not values:
        return "no samples"
    return (f"n={len(values)} p50={pct(values, .5):.2f} p99={pct(values, .99):.2f} "
            f"max={max(values):.2f} {unit}")
