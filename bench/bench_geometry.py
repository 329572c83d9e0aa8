"""Benchmark the worst valid plans: geometry work at the limits the schema allows.

Each case is a site file that ``siteaudit validate`` accepts, built to make one part of the
geometry (``audit.geometry.sight``) as costly as the limits let it be (``audit.geometry.
budget``, the byte and value limits of the reader); each is checked with ``siteaudit check``
in a fresh process pinned to one core, and its wall time and peak memory are printed beside
the bare parse of the same file (``yaml.load`` with the C loader) in the same run:

- ``lamps``: lamps along a wall 20,000 km long (the case that ran out of memory: a point
  every half metre of the whole wall), up to the light limit;
- ``bright``: the brightest, highest lamps (10 million cd at 100 m: a reach of 46 km) over
  a 10,000-point wall;
- ``views``: a thousand cameras (the most one wall may have) on a zigzag wall, up to the
  view limit;
- ``shadows``: cameras whose views reach buildings of 10,000 corners each;
- ``sightlines``: vantage points overlooking zones past many buildings;
- ``many``: as many small cameras, each over its own wall, as the value limit allows.

    python bench/bench_geometry.py [--cases lamps,views] [--timeout 300] [--keep DIR]

Each case must finish under 60 s and 1.5 GB (the figures README quotes).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = """\
site: {id: worst, name: Worst plan}
zones:
  - {id: out, kind: public}
  - {id: yard, kind: compound}
  - {id: hall, kind: floor, building: b0, level: 0}
assets:
  - {id: a, name: A, zone: hall, value: high, task_s: 60}
gates:
  - {id: door, kind: door, between: [yard, hall], locked: true}
responders:
  - {id: police, name: Police, response_s: 600, response_sd_s: 120}
"""


def _wall(i: int, course: list[tuple[float, float]]) -> str:
    pts = ", ".join(f"[{x:.2f}, {y:.2f}]" for x, y in course)
    return f"  - {{id: w{i}, between: [out, yard], height_m: 2.4, course: [{pts}]}}\n"


def _lamp(i: int, x: float, y: float, cd: float, h: float) -> str:
    return (
        f"  - {{id: l{i}, covers: [w0], backup_power: true, "
        f"lamp: {{at: [{x:.2f}, {y:.2f}], height_m: {h:g}, candela: {cd:g}}}}}\n"
    )


def _camera(i: int, x: float, y: float, heading: float, fov: float, px: int, rng: float) -> str:
    return (
        f"  - {{id: c{i}, covers: [], monitored: true, recording: true, night: true, "
        f"view: {{at: [{x:.2f}, {y:.2f}], heading_deg: {heading:g}, fov_deg: {fov:g}, "
        f"resolution_px: {px}, range_m: {rng:g}}}}}\n"
    )


def _building(i: int, cx: float, cy: float, r: float, points: int) -> str:
    ring = [
        (cx + r * math.cos(2 * math.pi * k / points), cy + r * math.sin(2 * math.pi * k / points))
        for k in range(points)
    ]
    pts = ", ".join(f"[{x:.3f}, {y:.3f}]" for x, y in ring)
    return f"  - {{id: b{i}, height_m: 10, footprint: [{pts}]}}\n"


def lamps() -> str:
    """7,000 lamps of 2,500 cd at 6 m (a reach of 114 m) every 300 m along a 20,000 km wall."""
    out = [HEAD, "buildings:\n  - {id: b0}\n", "walls:\n", _wall(0, [(-1e7, 0), (1e7, 0)])]
    out.append("lights:\n")
    out += [_lamp(i, -1e6 + 300 * i, 5, 2500, 6) for i in range(7000)]
    return "".join(out)


def bright() -> str:
    """The brightest lamps the schema allows over a 10,000-point wall 100 km long."""
    course = [(-5e4 + 10 * k, 40 * (k % 2)) for k in range(10_000)]
    out = [HEAD, "buildings:\n  - {id: b0}\n", "walls:\n", _wall(0, course), "lights:\n"]
    out += [_lamp(i, -5e4 + 2500 * i, 50, 1e7, 100) for i in range(40)]
    return "".join(out)


def views() -> str:
    """1,000 cameras with 90-degree views, 200 m deep, over a 1,999-segment zigzag wall."""
    course = [(k * 0.5, 3 * (k % 2)) for k in range(2000)]
    out = [HEAD, "buildings:\n  - {id: b0}\n", "walls:\n", _wall(0, course), "cameras:\n"]
    out += [
        _camera(
            i, 0.5 * (i % 1000) + 0.1 * (i // 1000), -20 - (i % 7), 10 + (i % 60), 90, 4000, 200
        )
        for i in range(1000)
    ]
    return "".join(out)


def shadows() -> str:
    """190 cameras, each reaching the 10,000 corners of one of ten round buildings."""
    out = [HEAD, "buildings:\n"]
    out += [_building(i, 40 * i, 30, 15, 1000) for i in range(10)]
    out[1] += "  - {id: b0x}\n"
    out.insert(1, "")
    text = "".join(out).replace("  - {id: b0, height_m", "  - {id: b0, height_m", 1)
    walls = ["walls:\n"] + [_wall(i, [(40 * i - 20, 0), (40 * i + 20, 0)]) for i in range(10)]
    cams = ["cameras:\n"] + [
        _camera(i, 40 * (i % 10), 80 + (i // 10), 180, 120, 8000, 150) for i in range(190)
    ]
    return text + "".join(walls) + "".join(cams)


def sightlines() -> str:
    """Vantage points over a compound with 2,000 buildings of 40 corners between them."""
    out = [
        HEAD.replace(
            "{id: yard, kind: compound}",
            "{id: yard, kind: compound, outline: [[0, 0], [500, 0], [500, 500], [0, 500]]}",
        )
    ]
    out.append("buildings:\n")
    out += [_building(i, 10 + 12 * (i % 40), 520 + 12 * (i // 40), 4, 40) for i in range(2000)]
    out.append("walls:\n" + _wall(0, [(0, 0), (500, 0)]))
    out.append("vantage_points:\n")
    out += [
        f"  - {{id: v{i}, at: [{10 * i}, 1200], height_m: 3, overlooks: [yard]}}\n"
        for i in range(12)
    ]
    return "".join(out)


def many() -> str:
    """30,000 cameras, each over its own 10 m wall, with a lamp every tenth."""
    n = 30_000
    out = [HEAD, "buildings:\n  - {id: b0}\n", "walls:\n"]
    out += [
        _wall(i, [(30 * (i % 200), 30 * (i // 200)), (30 * (i % 200) + 10, 30 * (i // 200))])
        for i in range(n)
    ]
    out.append("cameras:\n")
    out += [_camera(i, 30 * (i % 200) + 5, 30 * (i // 200) - 8, 0, 90, 1920, 30) for i in range(n)]
    out.append("lights:\n")
    out += [_lamp(i, 30 * (i % 200) + 5, 30 * (i // 200) + 3, 2500, 6) for i in range(0, n, 10)]
    return "".join(out)


CASES = {
    "lamps": lamps,
    "bright": bright,
    "views": views,
    "shadows": shadows,
    "sightlines": sightlines,
    "many": many,
}


def _run(args: list[str], timeout: float) -> tuple[float, float, int]:
    """Wall seconds, peak MiB and exit code of ``args`` in a fresh process on one core (its
    own resource usage, from ``wait4``: what ``/usr/bin/time -v`` reports)."""
    import shutil

    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    t0 = time.perf_counter()
    proc = subprocess.Popen([*pin, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--keep", help="Write the site files here (default: a temporary folder).")
    args = ap.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-geometry-"))
    folder.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    print("case        size KiB  validate  bare parse s  check s (x parse)  peak MiB  exit")
    for name in args.cases.split(","):
        path = folder / f"{name}.yaml"
        path.write_text(CASES[name](), encoding="utf-8")
        size = os.path.getsize(path) / 1024
        ok = subprocess.run([py, "-m", "audit", "validate", str(path)], capture_output=True)
        parse = "import yaml,sys; yaml.load(open(sys.argv[1]).read(), Loader=yaml.CSafeLoader)"
        bare, _, _ = _run([py, "-c", parse, str(path)], args.timeout)
        wall, peak, code = _run([py, "-m", "audit", "check", str(path), "-q"], args.timeout)
        if ok.returncode != 0:
            print(ok.stderr.decode()[:300])
        print(
            f"{name:<10}  {size:>8.0f}  {'OK' if ok.returncode == 0 else 'refused':>8}  "
            f"{bare:>12.2f}  {wall:>8.1f} ({wall / bare:>5.0f}x)  {peak:>8.0f}  {code:>4}"
        )


if __name__ == "__main__":
    main()
