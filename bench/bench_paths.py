"""Benchmark the most-vulnerable-path search.

1. Against brute force: random small graphs (7 zones, dense, with cycles and
   delay variance) solved by the label search and by enumerating every simple
   path; prints both totals and their ratio, and checks they agree.
2. Against brute force on the values each threat meets: generated sites of
   three sizes, analysed as a forcing outsider, a vehicle and an insider with
   keys would meet them (``audit.analysis.tactics``), every asset at random
   moments; the same comparison and ratio.
3. Against site size: generated estates of 100 to 10,000 zones, weak (few
   sensors, responder 5 min away) and secure (sensors, watched cameras,
   responder on site); one asset at one moment. The baseline measured in the
   same run is a plain networkx Dijkstra (least delay) over the same graph, so
   the figures to quote are ratios, not seconds.

    python bench/bench_paths.py [--sizes 100,300,1000,3000,10000]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_site  # noqa: E402


def random_problem(rnd: random.Random, n: int = 7, edges: int = 18):
    from audit.analysis.easi import Step
    from audit.analysis.search import Problem

    def step() -> Step:
        t = rnd.choice([0.0, 10.0, 30.0, 60.0, rnd.uniform(0, 120)])
        return Step(rnd.choice([0.0, 0.5, 1.0, rnd.random()]), t, 0.3 * t, rnd.choice([1, 0.5, 0]))

    zones = [f"z{i}" for i in range(n)]
    es = []
    for k in range(edges):
        u, v = rnd.sample(zones, 2)
        es.append((u, v, f"e{k}", step()))
    return Problem(
        "z0",
        frozenset({f"z{n - 1}", f"z{n - 2}"}),
        {z: step() for z in zones},
        es,
        rnd.uniform(30, 300),
        rnd.uniform(0, 60),
        0.95,
    )


def compare(problems: list) -> tuple[float, float, int]:
    """(search seconds, enumeration seconds, how many agree) over ``problems``."""
    from audit.analysis.search import all_simple_paths_min, most_vulnerable_path

    t0 = time.perf_counter()
    ours = [most_vulnerable_path(p).p_interruption for p in problems]
    t1 = time.perf_counter()
    brute = [all_simple_paths_min(p) for p in problems]
    t2 = time.perf_counter()
    agree = sum(
        (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        for a, b in zip(ours, brute, strict=True)
    )
    return t1 - t0, t2 - t1, agree


def bench_brute(count: int, n: int = 7, edges: int = 18) -> None:
    rnd = random.Random(7)
    problems = [random_problem(rnd, n, edges) for _ in range(count)]
    search, enum, agree = compare(problems)
    t0, t1, t2 = 0.0, search, search + enum
    print(f"brute force: {count} random {n}-zone graphs, {edges} edges, delay sd 30 % of mean")
    print(
        f"  label search {t1 - t0:.3f} s, enumeration {t2 - t1:.3f} s: "
        f"enumeration / search = {(t2 - t1) / (t1 - t0):.1f}x; agree on {agree}/{count}"
    )


def bench_threats(count: int, sizes: tuple[int, ...] = (8, 12, 16)) -> None:
    import yaml

    from audit.analysis.paths import Analyzer
    from audit.site.load import load_site
    from audit.site.threats import declared

    rnd = random.Random(11)
    print("brute force on threat-modified element values (generated sites, random moments)")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            problems = []
            for k in range(count):
                data = generate_site(n, seed=k, secure=bool(k % 2))
                gates = [g["id"] for g in data["gates"]]
                own = [z["id"] for z in data["zones"] if z["kind"] != "public"]
                data["threats"] = [
                    "outsider-force",
                    "vehicle",
                    {"id": "insider", "starts_in": [rnd.choice(own)], "keys": gates[:2]},
                ]
                path = Path(tmp) / f"t{n}-{k}.yaml"
                path.write_text(yaml.safe_dump(data, sort_keys=False))
                site = load_site(path)
                for threat in declared(site):
                    an = Analyzer(site, threat)
                    for asset in site.assets:
                        problems.append(an.problem(asset, rnd.randrange(7 * 96)))
            search, enum, agree = compare(problems)
            t0, t1, t2 = 0.0, search, search + enum
            print(
                f"  {n:>3} zones, {len(problems)} problems: search {t1 - t0:.3f} s, enumeration "
                f"{t2 - t1:.3f} s: enumeration / search = {(t2 - t1) / max(t1 - t0, 1e-9):.1f}x; "
                f"agree on {agree}/{len(problems)}"
            )


def bench_sizes(sizes: list[int]) -> None:
    import networkx as nx
    import yaml

    from audit.analysis.paths import Analyzer
    from audit.analysis.search import most_vulnerable_path
    from audit.site.load import load_site

    print("site size: one asset at fri 19:00; ratio = search time / Dijkstra time (same run)")
    print(
        f"  {'zones':>6} {'variant':<7} {'edges':>6} {'dijkstra s':>10} {'search s':>9} "
        f"{'ratio':>7} {'labels':>8}  P(I)    method"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for secure in (False, True):
            for n in sizes:
                path = Path(tmp) / f"s{n}{secure}.yaml"
                path.write_text(yaml.safe_dump(generate_site(n, secure=secure), sort_keys=False))
                site = load_site(path)
                an = Analyzer(site)
                asset = site.assets[len(site.assets) // 2]
                prob = an.problem(asset, 4 * 96 + 76)
                g = nx.DiGraph()
                for u, v, _, st in prob.edges:
                    g.add_edge(u, v, weight=st.t + prob.zones[v].t)
                t0 = time.perf_counter()
                nx.multi_source_dijkstra(g, set(prob.starts), target=prob.target)
                t1 = time.perf_counter()
                res = most_vulnerable_path(prob)
                t2 = time.perf_counter()
                base, search = t1 - t0, t2 - t1
                print(
                    f"  {len(site.zones):>6} {'secure' if secure else 'weak':<7} "
                    f"{len(prob.edges):>6} {base:>10.4f} {search:>9.3f} {search / base:>7.0f} "
                    f"{res.labels:>8}  {res.p_interruption:.3f}  "
                    f"{'exact' if res.exact else 'bounded'}"
                )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,300,1000,3000,10000")
    ap.add_argument("--brute", type=int, default=200)
    args = ap.parse_args()
    bench_brute(args.brute)
    bench_brute(max(1, args.brute // 10), 10, 34)
    bench_brute(max(1, args.brute // 40), 12, 60)
    bench_threats(max(1, args.brute // 10))
    bench_sizes([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
