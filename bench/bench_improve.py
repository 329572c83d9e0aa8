"""Benchmark `siteaudit improve`: versions of a site analysed per second, against one check.

Generated estates (``generate.py``) of about 20, 200 and 2,000 zones. For each
size the baseline measured in the same run is one full ``check`` of the site
(every rule, the path analysis over the week); the figure to quote is the time
of one evaluation (one upgraded version of the site, analysed in full) as a
ratio to that check, and evaluations per second.

    python bench/bench_improve.py [--sizes 20,200,2000] [--evaluations 10]
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

    from audit.load import load_site
    from audit.rules import load_rules, run_rules
    from audit.source import read_document
    from audit.upgrade.candidates import merge_costs
    from audit.upgrade.plan import improve

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="20,200,2000")
    ap.add_argument("--evaluations", type=int, default=10)
    args = ap.parse_args()
    rules = load_rules([])
    print("zones  candidates  evaluations  check s  per evaluation s  ratio  evaluations/s")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            path = Path(tmp) / f"s{n}.yaml"
            path.write_text(yaml.safe_dump(generate_site(n), sort_keys=False), encoding="utf-8")
            t0 = time.perf_counter()
            run_rules(load_site(path), rules)
            check = time.perf_counter() - t0
            t0 = time.perf_counter()
            plan = improve(
                read_document(path), costs=merge_costs(None), max_evaluations=args.evaluations
            )
            spent = time.perf_counter() - t0
            each = spent / max(plan.evaluations, 1)
            print(
                f"{n:>5}  {len(plan.candidates):>10}  {plan.evaluations:>11}  {check:>7.2f}  "
                f"{each:>16.3f}  {each / check:>5.2f}  {plan.evaluations / spent:>13.1f}"
            )


if __name__ == "__main__":
    main()
