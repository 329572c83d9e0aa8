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
- ``shadows``: cameras whose views reach ten buildings of 1,000 corners each;
- ``sightlines``: vantage points overlooking a compound past many low buildings;
- ``many``: as many small cameras, each over its own wall, as the value limit allows;
- ``combined``: the first five in one file, every limit pushed at once.

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
assets:
  - {id: a, name: A, zone: yard, value: high, task_s: 60}
gates:
  - {id: door, kind: pedestrian_gate, between: [out, yard], locked: true}
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


def _camera(
    i: int, x: float, y: float, heading: float, fov: float, px: int, rng: float, wall: int = 0
) -> str:
    return (
        f"  - {{id: c{i}, covers: [w{wall}], monitored: true, recording: true, night: true, "
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
    """8,000 lamps of 2,500 cd at 6 m (a reach of 114 m) every 300 m along a 20,000 km wall."""
    out = [HEAD, "walls:\n", _wall(0, [(-1e7, 0), (1e7, 0)])]
    out.append("lights:\n")
    out += [_lamp(i, -1e6 + 300 * i, 5, 2500, 6) for i in range(8000)]
    return "".join(out)


def bright() -> str:
    """The brightest lamps the schema allows over a 10,000-point wall 100 km long."""
    course = [(-5e4 + 10 * k, 40 * (k % 2)) for k in range(10_000)]
    out = [HEAD, "walls:\n", _wall(0, course), "lights:\n"]
    out += [_lamp(i, -5e4 + 2500 * i, 50, 1e7, 100) for i in range(40)]
    return "".join(out)


def views() -> str:
    """1,000 cameras with 90-degree views, 200 m deep, over a 1,999-segment zigzag wall."""
    course = [(k * 0.5, 3 * (k % 2)) for k in range(2000)]
    out = [HEAD, "walls:\n", _wall(0, course), "cameras:\n"]
    out += [
        _camera(
            i, 0.5 * (i % 1000) + 0.1 * (i // 1000), -20 - (i % 7), 10 + (i % 60), 90, 4000, 200
        )
        for i in range(1000)
    ]
    return "".join(out)


def shadows() -> str:
    """50 cameras, each reaching the 10,000 corners of ten round buildings."""
    out = [HEAD, "buildings:\n"]
    out += [_building(i, 40 * i, 30, 15, 1000) for i in range(10)]
    out += ["walls:\n"] + [_wall(i, [(40 * i - 20, 0), (40 * i + 20, 0)]) for i in range(10)]
    out += ["cameras:\n"] + [
        _camera(i, 40 * (i % 10) + 1, 80 + (i // 10), 180, 120, 16000, 500, i % 10)
        for i in range(49)
    ]
    return "".join(out)


def sightlines() -> str:
    """Two vantage points over a compound past 600 low buildings of 40 corners (none blocks,
    so every point tried is tested against every building on the way)."""
    yard = "{id: yard, kind: compound, outline: [[0, 0], [500, 0], [500, 500], [0, 500]]}"
    out = [HEAD.replace("{id: yard, kind: compound}", yard), "buildings:\n"]
    out += [
        _building(i, 10 + 12 * (i % 40), 520 + 12 * (i // 40), 4, 40).replace(
            "height_m: 10", "height_m: 1"
        )
        for i in range(600)
    ]
    out.append("walls:\n" + _wall(0, [(0, 0), (500, 0)]))
    out.append("vantage_points:\n")
    out += [
        f"  - {{id: v{i}, at: [{200 + 10 * i}, 800], height_m: 3, overlooks: [yard]}}\n"
        for i in range(2)
    ]
    return "".join(out)


def many() -> str:
    """19,000 cameras, each over its own 10 m wall, with a lamp every tenth (the value limit)."""
    n = 19_000
    out = [HEAD, "walls:\n"]
    out += [
        _wall(i, [(30 * (i % 200), 30 * (i // 200)), (30 * (i % 200) + 10, 30 * (i // 200))])
        for i in range(n)
    ]
    out.append("cameras:\n")
    out += [
        _camera(i, 30 * (i % 200) + 5, 30 * (i // 200) - 8, 0, 90, 1920, 30, i) for i in range(n)
    ]
    out.append("lights:\n")
    out += [_lamp(i, 30 * (i % 200) + 5, 30 * (i // 200) + 3, 2500, 6) for i in range(0, n, 10)]
    return "".join(out)


def combined() -> str:
    """Every case above but ``many`` in one file, each 100 km north of the last: every limit
    pushed at once."""
    import re

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    merged: dict = {}
    for k, case in enumerate((lamps, bright, views, shadows, sightlines)):
        text = re.sub(r"\b([wclbv])(\d+)\b", rf"\g<1>{k}x\2", case())
        data = yaml.load(text, Loader=loader)  # noqa: S506 - the C safe loader
        _shift(data, 0.0, 1e5 * k)
        for key, value in data.items():
            if isinstance(value, list):
                known = {e["id"] for e in merged.get(key, [])}
                merged.setdefault(key, []).extend(e for e in value if e["id"] not in known)
            else:
                merged.setdefault(key, value)
    merged["zones"] = [z for z in merged["zones"] if not z.get("outline")] + [
        {
            "id": "yard2",
            "kind": "compound",
            "outline": [[0, 4e5], [500, 4e5], [500, 4e5 + 500], [0, 4e5 + 500]],
        }
    ]
    # the lamps of the first two cases together pass the light limit: keep 6,000 of the 8,000
    merged["lights"] = [
        li for li in merged["lights"] if not li["id"].startswith("l0x") or int(li["id"][3:]) < 6000
    ]
    for vp in merged.get("vantage_points", []):
        vp["overlooks"] = ["yard2"]
    merged["walls"].append({"id": "w-yard2", "between": ["out", "yard2"], "height_m": 2.4})
    return yaml.dump(merged, Dumper=dumper, sort_keys=False, default_flow_style=None)


def _shift(data: dict, dx: float, dy: float) -> None:
    """Move every point of the plan by (dx, dy)."""

    def move(p: list) -> list:
        return [p[0] + dx, p[1] + dy]

    for key, field in (("walls", "course"), ("buildings", "footprint"), ("zones", "outline")):
        for el in data.get(key) or []:
            if el.get(field):
                el[field] = [move(p) for p in el[field]]
    for el in data.get("cameras") or []:
        el["view"]["at"] = move(el["view"]["at"])
    for el in data.get("lights") or []:
        el["lamp"]["at"] = move(el["lamp"]["at"])
    for el in data.get("vantage_points") or []:
        el["at"] = move(el["at"])


CASES = {
    "lamps": lamps,
    "bright": bright,
    "views": views,
    "shadows": shadows,
    "sightlines": sightlines,
    "many": many,
    "combined": combined,
}


def _run(args: list[str], timeout: float) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system), peak MiB and exit code of ``args`` in a
    fresh process on one core (its own resource usage, from ``wait4``: what
    ``/usr/bin/time -v`` reports; on a shared machine the CPU time is the steadier)."""
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
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - t0, cpu, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--keep", help="Write the site files here (default: a temporary folder).")
    args = ap.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-geometry-"))
    folder.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    print(
        "case        size KiB  validate  parse CPU s  check wall s  check CPU s (x parse)  "
        "peak MiB  exit"
    )
    for name in args.cases.split(","):
        path = folder / f"{name}.yaml"
        path.write_text(CASES[name](), encoding="utf-8")
        size = os.path.getsize(path) / 1024
        ok = subprocess.run([py, "-m", "audit", "validate", str(path)], capture_output=True)
        if ok.returncode != 0:
            print(ok.stderr.decode()[:300])
        parse = "import yaml,sys; yaml.load(open(sys.argv[1]).read(), Loader=yaml.CSafeLoader)"
        _, bare, _, _ = _run([py, "-c", parse, str(path)], args.timeout)
        wall, cpu, peak, code = _run([py, "-m", "audit", "check", str(path), "-q"], args.timeout)
        print(
            f"{name:<10}  {size:>8.0f}  {'OK' if ok.returncode == 0 else 'refused':>8}  "
            f"{bare:>11.2f}  {wall:>12.1f}  {cpu:>11.1f} ({cpu / bare:>5.0f}x)  {peak:>8.0f}  "
            f"{code:>4}"
        )


if __name__ == "__main__":
    main()
