"""Benchmark coverage computed from the plan, against the whole check of the same site.

A generated estate laid out on a plan (``generate.py --secure --plan``: a watched
camera with a view on every gate and door, wall courses, building footprints,
lamps) of about 1,000 zones has about 1,000 cameras and 12 km of wall. For each
size this measures, in one process and one run: the coverage computed from the
plan (``audit.geometry.sight.PlanCoverage``: every camera's view, every wall cut into
stretches, every gate, the illuminance along every wall) and the whole check of
the site (every rule, the path analysis over the week), and prints their ratio.

    python bench/bench_plan.py [--zones 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_site  # noqa: E402


def main() -> None:
    import yaml

    from audit.geometry.sight import PlanCoverage
    from audit.rules.checklist import load_rules, run_rules
    from audit.site.load import load_site

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zones", default="1000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rules = load_rules([])
    print("zones  cameras  wall km  coverage s (best)  check s  coverage / check")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.zones.split(",")):
            path = Path(tmp) / f"plan-{n}.yaml"
            data = generate_site(n, secure=True, plan=True)
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            site = load_site(path)
            cover = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                PlanCoverage(site)
                cover.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            run_rules(load_site(path), rules)
            check = time.perf_counter() - t0
            km = sum(w.length_m or 0 for w in site.walls if w.course) / 1000
            print(
                f"{len(site.zones):>5}  {len(site.cameras):>7}  {km:>7.1f}  {min(cover):>17.2f}  "
                f"{check:>7.1f}  {min(cover) / check:>16.3f}"
            )


if __name__ == "__main__":
    main()
