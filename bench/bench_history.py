"""Benchmark: what --record adds to a folder audit (SQLite, a fresh database each run, and
a database that already holds earlier runs), as a ratio to the same audit without it,
measured alternately in the same run.

python bench/bench_history.py --sites 1000 --jobs 2
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_site  # noqa: E402


def main() -> None:
    import yaml

    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--zones", type=int, default=40)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sites"
        folder.mkdir()
        for i in range(args.sites):
            data = generate_site(args.zones, seed=i)
            data["site"]["id"] = f"site-{i:04d}"
            (folder / f"site-{i:04d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        db = Path(tmp) / "history.db"
        base = [sys.executable, "-m", "audit", "check", str(folder), "--jobs", str(args.jobs)]
        base += ["--quiet", "--no-config"]

        def timed(cmd: list[str]) -> float:
            t0 = time.perf_counter()
            subprocess.run(cmd, check=False, capture_output=True)
            return time.perf_counter() - t0

        plain, recorded = [], []
        for n in range(args.repeat):
            plain.append(timed(base))
            recorded.append(timed([*base, "--record", str(db), "--today", f"2026-11-{n + 1:02d}"]))
    p, r = statistics.median(plain), statistics.median(recorded)
    print(f"{args.sites} sites of ~{args.zones} zones, --jobs {args.jobs}, median of {args.repeat}")
    print(f"check: {p:.2f} s   check --record: {r:.2f} s   ratio {r / p:.3f}")


if __name__ == "__main__":
    main()
