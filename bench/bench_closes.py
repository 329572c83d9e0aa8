"""improve on a site with and without the measured 'closes' of its steps (the rules run again
after each step, so each finding is credited to the one step after which it is gone): the
cost of saying exactly what each step closes, as a ratio within one run.

    python bench/bench_closes.py sites/riverside-school.yaml --runs 2
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()

    import audit.upgrade.plan as plan
    from audit.rules.checklist import load_rules
    from audit.site.source import read_document
    from audit.upgrade.candidates import merge_costs

    rules, costs = load_rules([]), merge_costs(None)
    measured = plan._measure_closes

    def unmeasured(ev: object, steps: list, *rest: object) -> list:
        return steps  # the steps as they are, their closes not measured

    took = {"without": 0.0, "with": 0.0}
    for _ in range(args.runs):
        for label in ("without", "with"):
            plan._measure_closes = measured if label == "with" else unmeasured
            start = time.perf_counter()
            plan.improve(read_document(args.site), costs=costs, rules=rules, fail_on="high")
            took[label] += time.perf_counter() - start
    plan._measure_closes = measured
    w, wo = took["with"] / args.runs, took["without"] / args.runs
    print(f"{args.site}: without {wo:.2f} s, with {w:.2f} s ({w / wo:.2f}x)")


if __name__ == "__main__":
    main()
