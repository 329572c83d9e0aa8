"""The exact path search equals brute-force enumeration of simple paths."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.analysis.easi import Step, p_interruption
from audit.analysis.search import Problem, all_simple_paths_min, most_vulnerable_path
from audit.analysis.timeline import Force, p_effectiveness

# Coarse values make ties and boundary cases (T == RFT, p of 0 and 1) common,
# which is where a wrong dominance rule shows; floats cover the rest.
probs = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0.0, 1.0))
delays = st.one_of(st.sampled_from([0.0, 10.0, 30.0, 60.0, 100.0]), st.floats(0.0, 120.0))
sds = st.one_of(st.sampled_from([0.0, 0.0, 20.0, 50.0]), st.floats(0.0, 60.0))


@st.composite
def steps(draw, variance: bool):
    s = draw(sds) if variance else 0.0
    return Step(draw(probs), draw(delays), s, draw(st.sampled_from([1.0, 0.5, 0.0])))


@st.composite
def problems(draw, variance: bool):
    n = draw(st.integers(2, 5))
    zones = [f"z{i}" for i in range(n)]
    edges = []
    for k in range(draw(st.integers(1, 10))):
        u, v = draw(st.sampled_from(zones)), draw(st.sampled_from(zones))
        if u != v:
            edges.append((u, v, f"e{k}", draw(steps(variance))))
    target = draw(st.sampled_from(zones))
    starts = frozenset(draw(st.lists(st.sampled_from(zones), min_size=1, max_size=3)))
    return Problem(
        target=target,
        starts=starts,
        zones={z: draw(steps(variance)) for z in zones},
        edges=edges,
        rft=draw(st.one_of(st.sampled_from([30.0, 60.0, 100.0, 150.0]), st.floats(0.0, 300.0))),
        rft_sd=draw(st.one_of(st.sampled_from([0.0, 10.0, 30.0]), st.floats(0.0, 90.0))),
        p_comm=draw(st.one_of(st.just(1.0), st.floats(0.0, 1.0))),
    )


def _check(problem: Problem) -> None:
    brute = all_simple_paths_min(problem)
    found = most_vulnerable_path(problem)
    if math.isnan(brute):
        assert math.isnan(found.p_interruption)
        return
    assert found.exact
    assert math.isclose(found.p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12), (found, brute)
    zones = found.path[::2]
    assert len(zones) == len(set(zones)), "the reported path must be simple"
    assert zones[0] in problem.starts and zones[-1] == problem.target
    by_id = {e[2]: e for e in problem.edges}
    seq = []
    for i in range(1, len(found.path), 2):
        u, v, _, step = by_id[found.path[i]]
        assert (u, v) == (found.path[i - 1], found.path[i + 1])
        seq += [step, problem.zones[v]]
    again = p_interruption(seq, problem.rft, problem.rft_sd, problem.p_comm)
    assert math.isclose(again, found.p_interruption, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=False))
def test_exact_without_delay_variance(problem):
    _check(problem)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=True))
def test_exact_with_delay_variance(problem):
    _check(problem)


@st.composite
def forces(draw):
    """A response of up to four units of different sizes, arms and arrival times (mean and
    sd), against a team of one to four that may break off, under the square law or a table."""
    from audit.analysis.engagement import SquareLaw, Table
    from audit.analysis.response import Unit

    units = [
        Unit(
            f"u{k}",
            "responder",
            draw(st.one_of(st.sampled_from([10.0, 30.0, 60.0, 100.0, 150.0]), st.floats(0, 300))),
            draw(st.one_of(st.sampled_from([0.0, 0.0, 10.0, 30.0]), st.floats(0.0, 90.0))),
            draw(st.integers(1, 8)),
            draw(st.booleans()),
        )
        for k in range(draw(st.integers(0, 4)))
    ]
    armed = draw(st.booleans())
    arms = {"armed": 1.0, "unarmed": 0.1}
    if draw(st.booleans()):
        m = SquareLaw(arms, draw(st.sampled_from([1.0, 0.5, 2.0])), armed)
    else:
        m = Table([[0.5, 0.1], [1.0, 0.5], [2.0, 0.9]], arms, armed)
    # a team that breaks off at some number left (not determined), or fights to the last
    return Force(units, draw(st.integers(1, 4)), m, draw(st.integers(0, 2)))


def _check_pe(problem: Problem, curve: Force) -> None:
    problem.curve = curve
    brute = all_simple_paths_min(problem)
    found = most_vulnerable_path(problem)
    if math.isnan(brute):
        assert math.isnan(found.p_interruption)
        return
    assert found.exact
    assert math.isclose(found.p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12), (found, brute)
    zones = found.path[::2]
    assert len(zones) == len(set(zones)), "the reported path must be simple"
    by_id = {e[2]: e for e in problem.edges}
    seq = []
    for i in range(1, len(found.path), 2):
        seq += [by_id[found.path[i]][3], problem.zones[found.path[i + 1]]]
    if seq:
        again = p_effectiveness(seq, curve, problem.p_comm)
        assert math.isclose(again, found.p_interruption, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=False), forces())
def test_p_effectiveness_exact_without_delay_variance(problem, curve):
    _check_pe(problem, curve)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=True), forces())
def test_p_effectiveness_exact_with_delay_variance(problem, curve):
    _check_pe(problem, curve)


def test_p_effectiveness_dominance_waits_for_the_slowest_unit():
    """Found by random search: judging "ahead of the response" by the fastest unit (30 s)
    drops the suffix over e4 (sd 50 s) for the one over e0, yet with 60 s left the 100 s
    unit may still arrive and variance raises its chance: only past the slowest unit's
    arrival does more variance only lower P(E)."""
    from audit.analysis.engagement import SquareLaw
    from audit.analysis.response import Unit

    problem = Problem(
        target="z0",
        starts=frozenset({"z2"}),
        zones={
            "z0": Step(0.0, 10.0, 0.0, 0.5),
            "z1": Step(1.0, 10.0, 0.0, 1.0),
            "z2": Step(0.07539677851977677, 60.0, 50.0, 0.0),
        },
        edges=[
            ("z1", "z0", "e0", Step(1.0, 60.0, 0.0, 1.0)),
            ("z2", "z1", "e1", Step(0.5, 60.0, 50.0, 1.0)),
            ("z0", "z2", "e2", Step(1.0, 100.0, 20.0, 0.0)),
            ("z2", "z1", "e3", Step(0.0, 10.0, 20.0, 1.0)),
            ("z1", "z0", "e4", Step(1.0, 30.0, 50.0, 0.5)),
        ],
        rft=0.0,
        rft_sd=0.0,
    )
    units = [Unit("a", "responder", 30, 10, 1, True), Unit("b", "responder", 100, 10, 7, True)]
    problem.curve = Force(units, 3, SquareLaw({"armed": 1.0, "unarmed": 0.1}, 1.0, True))
    found = most_vulnerable_path(problem)
    assert math.isclose(found.p_interruption, all_simple_paths_min(problem), rel_tol=1e-9)
    assert math.isclose(found.p_interruption, 0.06323387420539878, rel_tol=1e-9)


def test_detection_weights_and_textbook_example():
    # one element, detection at the beginning, 100 s left, response 60 s exactly
    assert p_interruption([Step(1.0, 100.0, 0.0, 1.0)], 60.0, 0.0) == 1.0
    # detection at the end of the only element: no time left
    assert p_interruption([Step(1.0, 100.0, 0.0, 0.0)], 60.0, 0.0) == 0.0
    # middle: 50 s left against 60 s
    assert p_interruption([Step(1.0, 100.0, 0.0, 0.5)], 60.0, 0.0) == 0.0
    # normal response: 50 s left, RFT 60 +- 10 s -> Phi(-1)
    v = p_interruption([Step(1.0, 100.0, 0.0, 0.5)], 60.0, 10.0)
    assert math.isclose(v, 0.15865525393145707)


def test_variance_dominance_regression():
    """Found by random search: dropping the variance condition from dominance gives 0.5 here.

    At z1 the suffix over e2 (60 s, no variance) beats the one over e1 (100 s,
    sd 50 s) on delay and P(I), yet after the prefix e3 the high-variance
    suffix is worse for the defender: variance lowers P(R|A) once the
    adversary is ahead of the response.
    """
    problem = Problem(
        target="z0",
        starts=frozenset({"z2"}),
        zones={
            "z0": Step(0.0, 0.0, 0.0, 0.5),
            "z1": Step(0.0, 60.0, 0.0, 1.0),
            "z2": Step(0.0, 10.0, 20.0, 0.5),
        },
        edges=[
            ("z1", "z0", "e1", Step(0.0, 100.0, 50.0, 1.0)),
            ("z1", "z0", "e2", Step(1.0, 60.0, 0.0, 0.0)),
            ("z2", "z1", "e3", Step(0.5, 0.0, 0.0, 0.5)),
        ],
        rft=100.0,
        rft_sd=0.0,
    )
    found = most_vulnerable_path(problem)
    assert math.isclose(found.p_interruption, all_simple_paths_min(problem))
    assert math.isclose(found.p_interruption, 0.44246516488914583)
    assert found.path == ["z2", "e3", "z1", "e1", "z0"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=True), st.sampled_from([(0, 0), (0, 10**6), (5, 5)]))
def test_bounded_search_reports_a_real_path_and_an_upper_bound(problem, budget):
    brute = all_simple_paths_min(problem)
    found = most_vulnerable_path(problem, max_work=budget[0], max_work_mean=budget[1])
    if math.isnan(brute):
        assert not found.path or found.path == [problem.target]
        return
    if found.exact:
        assert math.isclose(found.p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12)
    else:
        assert found.method.startswith("bounded")
        assert found.p_interruption >= brute - 1e-12
        # the proven lower bound is one: the user sees the true minimum between the two
        assert found.lower is not None and found.lower <= brute + 1e-12
    if found.path and len(found.path) > 1:
        zones = found.path[::2]
        assert len(zones) == len(set(zones)) and zones[-1] == problem.target


def _yard(side: int) -> Problem:
    """A yard of side x side zones, none detected, each open to the street, its corner
    zone y0-0 the only way to the vault: every wander through it ties with the direct
    route (Q does not change where nothing detects)."""
    yard = [f"y{i}-{j}" for i in range(side) for j in range(side)]
    zones = {z: Step(0.0, 4.0, 1.2, 0.5) for z in yard}
    zones |= {"street": Step(0.0, 0.0, 0.0, 0.5), "vault": Step(0.0, 60.0, 0.0, 0.5)}
    edges = []
    for i in range(side):
        for j in range(side):
            edges.append(("street", f"y{i}-{j}", f"w{i}-{j}", Step(0.0, 14.0, 4.2, 1.0)))
            for di, dj in ((0, 1), (1, 0)):
                if i + di < side and j + dj < side:
                    a, b = f"y{i}-{j}", f"y{i + di}-{j + dj}"
                    edges.append((a, b, f"{a}>{b}", Step(0.0, 11.6, 3.48, 1.0)))
                    edges.append((b, a, f"{b}>{a}", Step(0.0, 11.6, 3.48, 1.0)))
    edges.append(("y0-0", "vault", "door", Step(0.7, 60.0, 18.0, 1.0)))
    problem = Problem("vault", frozenset({"street"}), zones, edges, rft=90.0, rft_sd=30.0)
    return problem


def test_undetected_wanders_that_tie_do_not_exhaust_the_search():
    """A yard of 25 zones, none detected, each open to the street: every wander through it
    ties with the direct route (Q does not change where nothing detects), and with delay
    variance none of them dominates another. Kept, they filled the work cap (a secure
    estate of 1,000 zones was bounded on every asset); pruned as ties, the search is exact.
    """
    problem = _yard(5)
    zones, edges = problem.zones, problem.edges
    found = most_vulnerable_path(problem, max_work=200_000)
    assert found.exact, found.method
    assert found.path == ["street", "w0-0", "y0-0", "door", "vault"]
    direct = [edges[0][3], zones["y0-0"], edges[-1][3], zones["vault"]]
    assert math.isclose(found.p_interruption, p_interruption(direct, 90.0, 30.0))


def test_tiny_and_zero_p_comm_keep_the_path():
    """P(I) is p_comm times Q on every path: a subnormal p_comm (5e-324) once lost the
    path (the search divided by it and pruned the only path as worse than itself)."""
    z = Step(0.0, 0.0, 0.0, 1.0)
    for p_comm in (5e-324, 1e-300, 0.0, 0.3):
        for sd in (0.0, 10.0):
            problem = Problem(
                target="z2",
                starts=frozenset({"z0"}),
                zones={"z0": z, "z1": Step(0.9, 50.0, sd, 1.0), "z2": Step(0.5, 0.0, 0.0, 1.0)},
                edges=[("z0", "z2", "e0", z), ("z0", "z1", "e1", z), ("z1", "z2", "e2", z)],
                rft=30.0,
                rft_sd=sd,
                p_comm=p_comm,
            )
            _check(problem)
            assert most_vulnerable_path(problem).path == ["z0", "e0", "z2"]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=True), st.booleans())
def test_the_network_bound_never_exceeds_the_optimum(problem, flat):
    """``bounds.network_bound`` (a backward pass over the whole network, reported where a
    search stops at its budget) is at most the least P(I) of any simple path."""
    from dataclasses import replace

    from audit.analysis.bounds import network_bound
    from audit.analysis.easi import without_variance

    if flat:
        problem = replace(
            problem,
            zones={z: without_variance(s) for z, s in problem.zones.items()},
            edges=[(u, v, e, without_variance(s)) for u, v, e, s in problem.edges],
        )
    problem = replace(problem, p_comm=1.0)
    if problem.target in problem.starts:
        return
    brute = all_simple_paths_min(problem)
    low = network_bound(problem)
    if math.isnan(brute):
        return
    assert low <= brute + 1e-12, (low, brute)


def test_a_search_stopped_at_its_budget_reports_the_network_bound():
    """On a grid the labels a stopped search leaves open bound nothing (0); the bound from
    the whole network is reported instead, and it is at most the true optimum."""
    import random

    from audit.analysis.bounds import network_bound

    rnd = random.Random(5)
    n = 4
    zones = {
        f"c{i}{j}": Step(rnd.choice([0.0, 0.2]), 20.0, 4.0, 0.5) for i in range(n) for j in range(n)
    }
    edges = []
    for i in range(n):
        for j in range(n):
            for di, dj in ((0, 1), (1, 0), (0, -1), (-1, 0)):
                a, b = i + di, j + dj
                if 0 <= a < n and 0 <= b < n:
                    st = Step(rnd.choice([0.0, 0.5, 0.9]), rnd.choice([10.0, 40.0]), 5.0, 1.0)
                    edges.append((f"c{i}{j}", f"c{a}{b}", f"e{i}{j}{a}{b}", st))
    problem = Problem("c33", frozenset({"c00"}), zones, edges, rft=60.0, rft_sd=15.0)
    brute = all_simple_paths_min(problem)
    res = most_vulnerable_path(problem, max_work=1, max_work_mean=1)
    low = network_bound(problem)
    assert 0.0 < low <= brute + 1e-12
    assert res.p_interruption >= brute - 1e-12
    assert not res.exact  # the budget of 1 stops every phase
    assert low - 1e-12 <= res.lower <= brute + 1e-12
    assert brute - res.lower < 0.01  # the gap the open labels left was the whole value


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=True), forces())
def test_the_network_bound_never_exceeds_the_optimum_p_effectiveness(problem, curve):
    """The same bound with the response on the engagement timeline (P(E) in place of P(I):
    each unit's chance in time at its own floor, P(N) rising with each)."""
    from dataclasses import replace

    from audit.analysis.bounds import network_bound

    problem = replace(problem, p_comm=1.0, curve=curve)
    if problem.target in problem.starts:
        return
    brute = all_simple_paths_min(problem)
    if math.isnan(brute):
        return
    low = network_bound(problem)
    assert low <= brute + 1e-12, (low, brute)


def _simple_paths(problem: Problem) -> list[list[str]]:
    """Every simple path from a start to the target, as the search writes a path."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_nodes_from(problem.zones)
    for u, v, eid, _ in problem.edges:
        g.add_edge(u, v, key=eid)
    out = []
    for s in sorted(problem.starts):
        if s == problem.target:
            continue
        for epath in nx.all_simple_edge_paths(g, s, problem.target):
            path = [s]
            for _, v, k in epath:
                path += [k, v]
            out.append(path)
    return out


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(variance=True), st.booleans(), forces(), st.data())
def test_a_hint_changes_neither_the_value_nor_exactness(problem, with_curve, curve, data):
    """Another hour's path given as a hint (``Analyzer`` passes the asset's last few) bounds
    the search from the start; whatever path it is, the answer is the optimum."""
    if with_curve:
        problem.curve = curve
    every = _simple_paths(problem)
    if not every:
        return
    hints = data.draw(st.lists(st.sampled_from(every), min_size=1, max_size=3))
    brute = all_simple_paths_min(problem)
    found = most_vulnerable_path(problem, hints=hints)
    assert found.exact
    assert math.isclose(found.p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12), (found, brute)
    zones = found.path[::2]
    assert len(zones) == len(set(zones)), "the reported path must be simple"
    assert zones[0] in problem.starts and zones[-1] == problem.target


def test_a_hint_slower_than_an_equal_path_gives_way_to_it():
    """Of equal paths the quickest is reported, hint or none: in the undetected yard every
    wander ties with the direct route, and a wander given as the hint is not the answer."""
    problem = _yard(3)
    wander = ["street", "w1-1", "y1-1", "y1-1>y0-1", "y0-1"]
    wander += ["y0-1>y0-0", "y0-0", "door", "vault"]
    plain = most_vulnerable_path(problem)
    hinted = most_vulnerable_path(problem, hints=[wander])
    assert plain.path == hinted.path == ["street", "w0-0", "y0-0", "door", "vault"]
    assert hinted.exact and hinted.p_interruption == plain.p_interruption
