"""Benchmark a fleet: ``check DIR --jobs 2`` over many typical sites, against the bare parse.

The sites are 20-60 zones, half of them declaring threats (a forcing outsider, and an
insider with keys on the campuses), from both generators: estates from ``generate.py``
(weak or secure) and campuses from ``generate2.py``; with ``--independent``, from
``generate3.py`` instead, written by a separate session from README, the schema and the
shipped sites alone (offices, depots, campuses, police stations, hospitals, plants and
schools on weekly rotas, timed locks, theft, one or two threats of every documented form).
Each step runs in a fresh process under ``/usr/bin/time`` (wall time and peak memory);
the baseline is a bare ``yaml.load(CSafeLoader)`` of every file in one process, in the
same run.

    python bench/bench_fleet.py --sites 1000,4000 [--jobs 2] [--independent]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_site  # noqa: E402
from generate2 import generate_site2  # noqa: E402

PARSE = (
    "import sys, pathlib, yaml\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


def typical(i: int) -> dict:
    """Site ``i`` of the fleet: 20-60 zones; odd ones declare threats."""
    zones = 20 + (i * 37) % 41
    if i % 4 in (0, 1):
        data = generate_site(zones, seed=i, secure=i % 8 == 0)
        if i % 2:
            data["threats"] = ["outsider-force"]
    else:
        data = generate_site2("campus", zones, seed=i, threats=bool(i % 2), assets_every=9)
    data["site"]["id"] = f"site-{i:05d}"
    return data


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MiB) of ``cmd`` in a fresh process."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True, check=False
    )
    wall, kib = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kib) / 1024


def main() -> None:
    import yaml

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", default="1000")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--independent", action="store_true", help="sites from generate3.py")
    args = ap.parse_args()
    print("| sites | bare parse | check --jobs 2 | sites/s | / bare parse | peak memory |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in (int(x) for x in args.sites.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            if args.independent:
                import generate3

                generate3.main([tmp, str(n), "--seed", "1"])
            for i in range(0 if args.independent else n):
                text = yaml.safe_dump(typical(i), sort_keys=False)
                (Path(tmp) / f"site-{i:05d}.yaml").write_text(text, encoding="utf-8")
            parse, _ = timed([sys.executable, "-c", PARSE, tmp])
            check = [sys.executable, "-m", "audit", "check", tmp, "--no-config", "-q"]
            wall, peak = timed([*check, "--jobs", str(args.jobs)])
            print(
                f"| {n:,} | {parse:.2f} s | {wall:.1f} s | {n / wall:.1f} | "
                f"{wall / parse:.1f}x | {peak:.0f} MiB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
