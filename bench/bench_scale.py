"""Benchmark scale: check and paths of generated sites of 100 to 10,000 zones, against parsing.

For each size and generator (weak, ``--secure``; ``campus`` and ``campus-secure`` mesh the
estate with ``--campus``) it writes the site with
``generate.py``, or with the second generator ``generate2.py`` (``mesh``, ``braid``,
``chain``, ``layers``; ``campus2``: a campus declaring two threats; ``campus2-assets``: an
asset in every 4th room, no threat), and times, each in a fresh process (whole-process wall time,
read around it, and peak memory from ``/usr/bin/time``; a step under a second runs five
times and its median is kept):

- the bare parse: ``yaml.load`` with PyYAML's C loader (the baseline of every ratio);
- validation: ``audit.load_site``;
- the rules without the path analysis: ``check --ignore low-interruption``;
- the whole ``check`` (every rule, every slot of the week, every asset), with one job
  and with ``--jobs 2`` (the path analysis in a process of its own beside the rules);
- ``paths`` (JSON), counting the results that are exact (every asset, and every asset
  against every declared threat), and the largest gap between a bounded result's value
  and its proven lower bound.

Every figure is also given as a ratio to the bare parse of the same file in
the same run, so runs on different (or busy) machines compare. A step that
passes ``--timeout`` seconds is reported as such, not waited for.

    python bench/bench_scale.py [--sizes 100,1000,10000] [--timeout 600]
        [--generators weak,secure,campus,campus-secure,mesh,braid,chain,layers,campus2,...]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_site  # noqa: E402
from generate2 import SHAPES, generate_site2  # noqa: E402

PY = sys.executable
STEPS = {
    "parse": [
        PY,
        "-c",
        "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)",
    ],
    "validate": [PY, "-c", "import sys, audit; audit.load_site(sys.argv[1])"],
    "rules": [PY, "-m", "audit", "check", "--ignore", "low-interruption", "--format", "json"],
    "check": [PY, "-m", "audit", "check", "--format", "json", "--jobs", "1"],
    "check2": [PY, "-m", "audit", "check", "--format", "json", "--jobs", "2"],
    "paths": [PY, "-m", "audit", "paths", "--format", "json"],
}


SHORT = 1.0
"""Steps quicker than this (seconds) are run ``REPEAT`` times and the median kept: on a
100-zone file the bare parse takes some 0.04 s, where one run's noise moved the ratios by
a third."""
REPEAT = 5


def run(step: str, path: Path, timeout: float) -> tuple[float | None, float | None, str]:
    """``once``, or for a step quicker than ``SHORT``, the median wall time and peak memory of
    ``REPEAT`` runs (the last run's stdout)."""
    wall, peak, out = once(step, path, timeout)
    if wall is None or wall >= SHORT:
        return wall, peak, out
    walls, peaks = [wall], [peak]
    for _ in range(REPEAT - 1):
        wall, peak, out = once(step, path, timeout)
        if wall is None:
            return None, None, ""
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), statistics.median(p or 0.0 for p in peaks), out


def once(step: str, path: Path, timeout: float) -> tuple[float | None, float | None, str]:
    """(wall seconds, peak MiB, stdout) of one step in a fresh process; None past the timeout.
    The wall time is read here to the microsecond (``/usr/bin/time`` gives hundredths)."""
    cmd = ["/usr/bin/time", "-f", "%e %M", *STEPS[step], str(path)]
    if step in ("rules", "check", "check2", "paths"):
        cmd += ["--no-config"] if step != "paths" else []
    began = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the step's whole process group, not only time
        proc.communicate()
        return None, None, ""
    wall = time.perf_counter() - began
    last = err.strip().splitlines()[-1].split()
    return wall, int(last[1]) / 1024, out


def cell(value: float | None, base: float | None, unit: str, timeout: float) -> str:
    if value is None:
        return f"> {timeout:g} s"
    ratio = f" ({value / base:.1f}x)" if base else ""
    return f"{value:.2f} {unit}{ratio}" if unit == "s" else f"{value:.0f} {unit}{ratio}"


def make(gen: str, n: int) -> dict:
    """The site of generator ``gen`` with about ``n`` zones."""
    if gen in SHAPES:
        return generate_site2(gen, n)
    if gen == "campus2":
        return generate_site2("campus", n)
    if gen == "campus2-assets":
        return generate_site2("campus", n, threats=False, assets_every=4)
    return generate_site(n, secure="secure" in gen, campus="campus" in gen)


def exactness(out: str) -> tuple[str, str]:
    """("exact of all" over assets and asset-threat pairs, largest gap) of ``paths`` JSON."""
    data = json.loads(out)
    results = list(data["assets"])
    results += [a for t in data.get("threats", []) for a in t["assets"] if a.get("exposed")]
    exact = sum(1 for a in results if a.get("exact"))
    gaps = [a["p_interruption"] - a["p_interruption_lower"] for a in results if not a["exact"]]
    return f"{exact} of {len(results)}", f"{max(gaps):.4f}" if gaps else "-"


def main() -> None:
    import yaml

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--generators", default="weak,secure,campus,campus-secure")
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args()
    print(
        "| zones | generator | bare parse | validate | rules without paths | check | "
        "check, --jobs 2 | paths | exact | largest gap | peak memory, check |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            for gen in args.generators.split(","):
                path = Path(tmp) / f"site-{n}-{gen}.yaml"
                data = make(gen, n)
                path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
                t = {}
                mem = {}
                out = ""
                for step in STEPS:
                    t[step], mem[step], stdout = run(step, path, args.timeout)
                    if step == "paths":
                        out = stdout
                exact, gap = exactness(out) if out else ("-", "-")
                base, mbase = t["parse"], mem["parse"]
                print(
                    f"| {len(data['zones']):,} | {gen} | {t['parse']:.2f} s | "
                    + " | ".join(
                        cell(t[s], base, "s", args.timeout)
                        for s in ("validate", "rules", "check", "check2", "paths")
                    )
                    + f" | {exact} | {gap} | {cell(mem['check'], mbase, 'MiB', args.timeout)} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
