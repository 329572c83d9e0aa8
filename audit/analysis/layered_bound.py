"""A lower bound on the least P(I) (or P(E)) that follows each walk's own delay.

``bounds.network_bound`` floors each detection's P(R|A) at the *least* delay from its
zone to the end. Where the response is slow the paths an adversary really takes carry
far more delay than that (the least-delay route is the watched one), so the floors sit
near 0 and the bound is loose: on a 1,000-zone mesh with a 16-minute response it left
gaps of 0.1 between the best path found and the bound.

Here the backward recursion h = p r + (1 - p) h' is run per *layer of remaining delay*:
H[v, k] bounds from below the value of every walk from entering v to the end whose delay
falls in layer k (width ``Delta``), and D[v, k] bounds their delay from below. A walk
v -> w -> ... made of a suffix counted in (w, j) has at least tau + D[w, j] of delay
(tau: v's zone step and the crossing), so each of its detections is floored at the delay
it really has ahead of it (less at most one layer's width per step), not at the least
any route has; it is counted in the layer of tau + D[w, j], which is never above its own.

Why it is a bound (by induction on the walk): for every walk W from v there is a layer
k with D[v, k] <= delay(W) and H[v, k] <= Q(W). For W = (v, e, W'), take W''s layer j:
Q(W) = a(delay(W')) + b Q(W') >= a(D[w, j]) + b H[w, j] (``a`` rises with the delay
ahead: every floor does, ``bounds.floor_of``; b >= 0), and both are folded into layer
beta(tau + D[w, j]) by min. Layers are settled in increasing order (a step adds delay, so
it pushes upwards); steps without delay stay in their layer and are relaxed there until
nothing changes, at most as many rounds as zones (no simple path has more steps), so the
least over starts is at most every simple path's value.

Numbers: numpy over crossings, one vector pass per layer (and per round within one);
floors read from a fine grid of delays (rounded down: the floor rises with the delay).
Stopped past ``LAYER_WORK`` element updates: then it bounds nothing (0.0).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from audit.analysis.bounds import floor_of, least_delays, parts_of

if TYPE_CHECKING:
    from audit.analysis.search import Problem

LAYERS = 512
"""Layers of remaining delay from 0 to the horizon (the last one open above)."""
MIN_LAYERS = 32
"""Fewest layers worth the pass (below, the bound from least delays is about as good)."""
GRID = 4096
"""Points of the grid the floors are read from, 0 to the horizon."""
LAYER_WORK = 100_000_000
"""Element updates (crossings x layers x rounds) before the bound gives up."""


def _horizon(floor: Any, problem: Problem, longest: float) -> float:
    """The delay past which the floor no longer rises (to 1e-12), or the longest a
    simple path can take, whichever is less: layers above it would hold nothing new."""
    top = floor(1e12)
    units = problem.curve.units if problem.curve is not None else ()
    lo = max([problem.rft, *(u.response_s for u in units)], default=0.0)
    lo = max(lo, 0.0) if math.isfinite(lo) else 0.0
    hi = max(2.0 * lo, 60.0)
    while floor(hi) < top - 1e-12 and hi < 1e9:
        hi *= 2.0
    for _ in range(40):
        mid = (lo + hi) / 2.0
        lo, hi = (lo, mid) if floor(mid) >= top - 1e-12 else (mid, hi)
    return max(min(hi, longest), 1e-9)


def _arcs(
    problem: Problem, idx: dict[str, int], with_zone: bool, sources: list[str]
) -> tuple[list[int], list[int], list[float], list[list[tuple[float, float]]]]:
    """(from, to, tau, parts) of every crossing out of ``sources`` into ``idx``: parts
    as (p, delay ahead of the part's point within the step) from the end backwards."""
    zones, out = problem.zones, problem.net.outgoing
    src: list[int] = []
    dst: list[int] = []
    taus: list[float] = []
    parts: list[list[tuple[float, float]]] = []
    for v in sources:
        head = list(parts_of(zones[v])) if with_zone else []
        for w, _, st in out.get(v, ()):
            if w not in idx:
                continue
            seq = head + list(parts_of(st))  # path order: v's zone step, then the crossing
            folded, tail = [], 0.0
            for part in reversed(seq):
                if part.p > 0.0:  # (a part that detects nothing adds only its delay)
                    folded.append((part.p, part.w * part.t + tail))
                tail += part.t
            src.append(idx[v])
            dst.append(idx[w])
            taus.append(tail)
            parts.append(folded)
    return src, dst, taus, parts


def layered_bound(problem: Problem, layers: int | None = None, max_work: int = LAYER_WORK) -> float:
    """A lower bound on the least Q (P(I)/p_comm, or P(E)/p_comm with a curve) of any
    path from a start to the target (module docstring); 0.0 where it gives up. Layers:
    ``LAYERS``, fewer on a large network (half the work budget per pass)."""
    import numpy as np

    floor = floor_of(problem)
    d_in = least_delays(problem)
    target = problem.target
    nodes = sorted(d_in)
    idx = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    inner = [v for v in nodes if v != target]
    src, dst, taus, parts = _arcs(problem, idx, True, inner)
    starts = sorted(s for s in problem.starts if s in problem.net.outgoing)
    s_src, s_dst, _, s_parts = _arcs(problem, idx, False, starts)
    if not s_dst:
        return 0.0
    longest = sum(problem.zones[v].t for v in nodes) + sum(
        max((st.t for _, _, st in problem.net.outgoing.get(v, ())), default=0.0) for v in nodes
    )
    if layers is None:
        per_pass = max(1, len(src) * 8)
        layers = max(MIN_LAYERS, min(LAYERS, max_work // (2 * per_pass)))
    layers = max(2, layers)
    horizon = _horizon(floor, problem, longest)
    width = horizon / (layers - 1)
    points = GRID
    step = horizon / (points - 1)
    grid = np.array([floor(i * step) for i in range(points)])

    def table(
        arc_parts: list[list[tuple[float, float]]],
    ) -> tuple[Any, Any, Any]:
        most = max((len(p) for p in arc_parts), default=0)
        p = np.zeros((len(arc_parts), most))
        off = np.zeros((len(arc_parts), most))
        for i, ps in enumerate(arc_parts):
            for m, (pp, oo) in enumerate(ps):
                p[i, m], off[i, m] = pp, oo
        return p, off, np.prod(1.0 - p, axis=1)

    def a_of(p: Any, off: Any, ahead: Any) -> Any:
        """Each arc's a (the value of its parts, floors at ``ahead`` + their offsets)."""
        a = np.zeros(len(ahead))
        for m in range(p.shape[1]):
            g = np.minimum(((off[:, m] + ahead) / step).astype(np.int64), points - 1)
            a = p[:, m] * grid[g] + (1.0 - p[:, m]) * a
        return a

    src_a, dst_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    tau = np.array(taus)
    p_a, off_a, b_a = table(parts)
    H = np.full(n * layers, np.inf)
    D = np.full(n * layers, np.inf)
    t_end = problem.zones[target].t
    a_end, tail = 0.0, 0.0
    for part in reversed(parts_of(problem.zones[target])):
        a_end = part.p * floor(part.w * part.t + tail) + (1.0 - part.p) * a_end
        tail += part.t
    k_end = min(layers - 1, int(t_end / width))
    H[k_end * n + idx[target]] = a_end
    D[k_end * n + idx[target]] = t_end
    work = 0
    for j in range(layers):
        for _ in range(n + 1):
            col = j * n + dst_a
            live = np.nonzero(np.isfinite(H[col]))[0]
            if not len(live):
                break
            work += len(live) * (p_a.shape[1] + 4)
            if work > max_work:
                return 0.0
            ahead = D[col[live]]
            value = a_of(p_a[live], off_a[live], ahead) + b_a[live] * H[col[live]]
            delay = tau[live] + ahead
            k = np.minimum((delay / width).astype(np.int64), layers - 1)
            where = k * n + src_a[live]
            here = k == j
            before = (H[where[here]].copy(), D[where[here]].copy())
            np.minimum.at(H, where, value)
            np.minimum.at(D, where, delay)
            if not here.any() or (
                np.array_equal(before[0], H[where[here]])
                and np.array_equal(before[1], D[where[here]])
            ):
                break
    # from each start: its crossing into w, then every layer of w
    s_dst_a = np.array(s_dst, dtype=np.int64)
    p_s, off_s, b_s = table(s_parts)
    cols = (np.arange(layers)[:, None] * n + s_dst_a[None, :]).ravel()
    arc = np.tile(np.arange(len(s_dst)), layers)
    live = np.nonzero(np.isfinite(H[cols]))[0]
    if not len(live):
        return 0.0
    cols, arc = cols[live], arc[live]
    value = a_of(p_s[arc], off_s[arc], D[cols]) + b_s[arc] * H[cols]
    return max(0.0, float(value.min()))
