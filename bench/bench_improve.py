"""Benchmark `siteaudit improve`: versions of a site analysed per second, against one check.

Generated estates (``generate.py``) of about 20, 200 and 2,000 zones. For each
size the baseline measured in the same run is one full ``check`` of the site
(every rule, the path analysis over the week); the figure to quote is the time
of one evaluation (one upgraded version of the site, analysed in full: every
asset, threat and slot) as a ratio to that check, and evaluations per second.
The evaluations are the site's first ``--evaluations`` candidates, each alone,
so the work is bounded at every size; ``--plan`` also times a whole plan (up to
``--evaluations`` exact versions, then greedy) where that stays affordable.

    python bench/bench_improve.py [--sizes 20,200,2000] [--evaluations 10] [--plan]
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

    from audit.rules.checklist import load_rules, run_rules
    from audit.site.load import load_site
    from audit.site.source import read_document
    from audit.upgrade.candidates import generate, merge_costs
    from audit.upgrade.evaluate import Evaluator
    from audit.upgrade.plan import improve

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="20,200,2000")
    ap.add_argument("--evaluations", type=int, default=10)
    ap.add_argument("--plan", action="store_true", help="also time a whole plan")
    args = ap.parse_args()
    rules = load_rules([])
    costs = merge_costs(None)
    print("zones  candidates  check s  per evaluation s  ratio  evaluations/s  plan s")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            path = Path(tmp) / f"s{n}.yaml"
            path.write_text(yaml.safe_dump(generate_site(n), sort_keys=False), encoding="utf-8")
            t0 = time.perf_counter()
            run_rules(load_site(path), rules)
            check = time.perf_counter() - t0
            doc = read_document(path)
            ev = Evaluator(doc, goal=None, threat_id=None)
            pool = generate(ev.site([]), costs)
            t0 = time.perf_counter()
            for c in pool[: args.evaluations]:
                ev.score([c])
            spent = time.perf_counter() - t0
            each = spent / max(ev.count, 1)
            whole = "-"
            if args.plan:
                t0 = time.perf_counter()
                improve(doc, costs=costs, max_evaluations=args.evaluations)
                whole = f"{time.perf_counter() - t0:.1f}"
            print(
                f"{n:>5}  {len(pool):>10}  {check:>7.2f}  {each:>16.3f}  {each / check:>5.2f}  "
                f"{ev.count / spent:>13.2f}  {whole:>6}"
            )


if __name__ == "__main__":
    main()
