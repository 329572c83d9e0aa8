"""Benchmark: load a generated 10,000-zone site against a bare PyYAML C load of the same file.

Prints the median time of each, their ratio, and the peak memory (tracemalloc)
of each. Ratios, not seconds, are the figures to quote: the machines are shared.

    python bench/bench_load.py --zones 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_site  # noqa: E402


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def peak(fn) -> int:
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> None:
    import yaml

    from audit.site.load import load_site

    ap = argparse.ArgumentParser()
    ap.add_argument("--zones", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        path.write_text(yaml.safe_dump(generate_site(args.zones), sort_keys=False))
        size = path.stat().st_size

        def bare() -> None:
            with open(path, encoding="utf-8") as fh:
                yaml.load(fh, Loader=yaml.CSafeLoader)  # noqa: S506 - the safe C loader

        def ours() -> None:
            load_site(path)

        ours()
        t_bare, t_ours = timed(bare, args.repeat), timed(ours, args.repeat)
        m_bare, m_ours = peak(bare), peak(ours)
        site = load_site(path)
    print(f"file: {args.zones} zones, {len(site.elements())} elements, {size / 1e6:.1f} MB")
    print(f"yaml.load(CSafeLoader): {t_bare:.3f} s median, peak {m_bare / 1e6:.0f} MB")
    print(f"audit.load_site:        {t_ours:.3f} s median, peak {m_ours / 1e6:.0f} MB")
    print(f"ratio load_site / bare: {t_ours / t_bare:.2f}x time, {m_ours / m_bare:.2f}x memory")


if __name__ == "__main__":
    main()
