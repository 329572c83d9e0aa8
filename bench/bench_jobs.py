"""Benchmark: audit a folder of generated sites with --jobs 1 and --jobs N; print the speed-up.

python bench/bench_jobs.py --sites 200 --jobs 2
"""

from __future__ import annotations

import argparse
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
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--zones", type=int, default=40)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.sites):
            data = generate_site(args.zones, seed=i)
            data["site"]["id"] = f"site-{i:04d}"
            (Path(tmp) / f"site-{i:04d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))

        def run(jobs: int) -> float:
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "audit",
                        "check",
                        tmp,
                        "--jobs",
                        str(jobs),
                        "--quiet",
                        "--no-config",
                    ],
                    check=False,
                    capture_output=True,
                )
                best = min(best, time.perf_counter() - t0)
            return best

        one, many = run(1), run(args.jobs)
    print(f"{args.sites} sites of ~{args.zones} zones; best of {args.repeat}")
    print(f"--jobs 1: {one:.2f} s   --jobs {args.jobs}: {many:.2f} s   speed-up {one / many:.2f}x")


if __name__ == "__main__":
    main()
