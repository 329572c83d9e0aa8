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

Beside D, LO[v, k] and HI[v, k] bound the delay variance of those walks from below and
above (HI capped at the variance of the whole network, which no simple path passes).
A detection with at least t of delay ahead and a variance in [lo, hi] is in time with
P >= min(P(t, lo'), max(P(t, hi up), P(t, rate t))), lo' = min(lo, rate t): for the
delay T really ahead (T >= t) the least over the variance is at one end; behind the
response (T < r) it is the lower end and P rises with T; past it, P falls with the
variance, the upper end is at most both hi and rate T (every part has s^2 <= rate x its
delay), and each of P(T, hi), P(T, rate T) rises with T. Variances are read from a grid
of levels, lo rounded down, hi up.

Why it is a bound (by induction on the simple path): for every simple path W from v
there is a layer k with D[v, k] <= delay(W), LO[v, k] <= var(W) <= HI[v, k] and
H[v, k] <= Q(W). For W = (v, e, W'), take W''s layer j: Q(W) = a(W') + b Q(W') >=
a(D[w, j], LO, HI) + b H[w, j] (each floor above holds; b >= 0), and the four are
folded into layer beta(tau + D[w, j]) by min (max for HI). Layers are settled in
increasing order (a step adds delay, so it pushes upwards); steps without delay stay in
their layer and are relaxed there until nothing changes, at most as many rounds as
zones (no simple path has more steps), so the least over starts is at most every
simple path's value. In the open top layer HI is not kept (read as unbounded).

Numbers: numpy over crossings, one vector pass per layer (and per round within one);
each unit's P(in time) read from a grid of delays (rounded down: it rises with the
delay) and variance levels. P(N) from the units' chances elementwise
(``timeline.Force.from_q_arrays``). Stopped past ``LAYER_WORK`` element updates: then
it bounds nothing (0.0).
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
GRID = 2048
"""Points of delay on the grid the floors are read from, 0 to the horizon."""
VAR_LEVELS = 24
"""Levels of variance still ahead on that grid besides 0 (``_levels``)."""
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


Part = tuple[float, float, float]
"""(p, delay ahead of the part's point within its step, variance ahead of it there)."""


def _arcs(
    problem: Problem, idx: dict[str, int], with_zone: bool, sources: list[str]
) -> tuple[list[int], list[int], list[tuple[float, float]], list[list[Part]]]:
    """(from, to, (delay, variance), parts) of every crossing out of ``sources`` into
    ``idx`` (with the zone step of its source where ``with_zone``); parts from the end
    backwards, those that detect nothing left out (they add only delay and variance).
    A part's own share after its point is ``w t`` of delay and ``(w s)^2`` of variance,
    as in the search (``timeline.prepend``)."""
    zones, out = problem.zones, problem.net.outgoing
    src: list[int] = []
    dst: list[int] = []
    taus: list[tuple[float, float]] = []
    parts: list[list[Part]] = []
    for v in sources:
        head = list(parts_of(zones[v])) if with_zone else []
        for w, _, st in out.get(v, ()):
            if w not in idx:
                continue
            seq = head + list(parts_of(st))  # path order: v's zone step, then the crossing
            folded: list[Part] = []
            tail, var = 0.0, 0.0
            for part in reversed(seq):
                if part.p > 0.0:
                    folded.append((part.p, part.w * part.t + tail, (part.w * part.s) ** 2 + var))
                tail += part.t
                var += part.s * part.s
            src.append(idx[v])
            dst.append(idx[w])
            taus.append((tail, var))
            parts.append(folded)
    return src, dst, taus, parts


def _total_variance(problem: Problem) -> float:
    """The variance of every step of the network together: no simple path has more."""
    return sum(st.s * st.s for st in problem.zones.values()) + sum(
        st.s * st.s for lst in problem.net.outgoing.values() for _, _, st in lst
    )


def _levels(problem: Problem, most: float) -> list[float]:
    """Variance levels of the grid: 0, then rising by sqrt(2) up to ``most`` (or the
    variance of every step of the network together, where that is less)."""
    top = min(_total_variance(problem), most)
    if top <= 0.0:
        return [0.0]
    return [0.0] + [top * 2.0 ** (-k / 2.0) for k in range(VAR_LEVELS - 1, -1, -1)]


def layered_bound(problem: Problem, layers: int | None = None, max_work: int = LAYER_WORK) -> float:
    """A lower bound on the least Q (P(I)/p_comm, or P(E)/p_comm with a curve) of any
    path from a start to the target (module docstring); 0.0 where it gives up. Layers:
    ``LAYERS``, fewer on a large network (half the work budget per pass)."""
    import numpy as np

    from audit.analysis.easi import p_response

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
    floor = floor_of(problem)
    horizon = _horizon(floor, problem, longest)
    width = horizon / (layers - 1)
    step = horizon / (GRID - 1)
    # each unit's P(in time) with at least t of delay ahead and variance in [lo, rate T]
    # (T >= t the delay really ahead; every part has s^2 <= rate x its delay): at fixed T
    # the least is at one end, and both ends rise with T (``bounds``), so it is at least
    # the lower of the values at (t, lo) and (t, rate t). lo is clamped to rate t (a wider
    # range, a lower value) and rounded down to a level: behind the response the value
    # rises with the variance, and ahead of it the (t, rate t) end is the lower one.
    curve = problem.curve
    units = (
        [(problem.rft, problem.rft_sd)]
        if curve is None
        else [(u.response_s, u.response_sd_s) for u in curve.units]
    )
    rate = floor.rate
    # (infinity last, where P(in time) is 1/2: an upper end rounded up past every level)
    levels = [*_levels(problem, math.inf), math.inf]
    n_v = len(levels)
    total = _total_variance(problem)
    at_lo = [
        np.array([p_response(i * step, v, r, sd) for i in range(GRID) for v in levels])
        for r, sd in units
    ]
    at_top = [
        np.array([p_response(i * step, rate * i * step, r, sd) for i in range(GRID)])
        if math.isfinite(rate)
        else np.array([p_response(i * step, math.inf, r, sd) for i in range(GRID)])
        for r, sd in units
    ]
    levels_a = np.array(levels)

    def table(arc_parts: list[list[Part]]) -> tuple[Any, Any, Any, Any]:
        most = max((len(p) for p in arc_parts), default=0)
        p = np.zeros((len(arc_parts), most))
        off = np.zeros((len(arc_parts), most))
        off_v = np.zeros((len(arc_parts), most))
        for i, ps in enumerate(arc_parts):
            for m, (pp, oo, vv) in enumerate(ps):
                p[i, m], off[i, m], off_v[i, m] = pp, oo, vv
        return p, off, off_v, np.prod(1.0 - p, axis=1)

    def floors(ahead: Any, lo: Any, hi: Any) -> Any:
        """P(R|A) (P(N) with a curve) floored at delay ``ahead`` and variance in
        [``lo``, ``hi``]: at least the lower of the values at (t, lo) and at the upper end,
        which is min(hi, rate T) for the delay T really ahead; when T is past the response
        the value falls with the variance and rises with T, so the larger of the values
        at (t, hi rounded up) and (t, rate t) bounds it (and when T is not, the (t, lo)
        end is the lower)."""
        g = np.minimum((ahead / step).astype(np.int64), GRID - 1)
        with np.errstate(over="ignore"):  # (a huge rate x delay is infinite: lo stands)
            low = np.minimum(lo, rate * ahead) if math.isfinite(rate) else lo
        i_lo = g * n_v + np.searchsorted(levels_a, low, side="right") - 1
        i_hi = g * n_v + np.searchsorted(levels_a, hi, side="left")
        qs = [
            np.minimum(a[i_lo], np.maximum(a[i_hi], b[g]))
            for a, b in zip(at_lo, at_top, strict=True)
        ]
        if curve is None:
            return qs[0]
        return curve.from_q_arrays(qs) if qs else np.zeros(len(ahead))  # (no unit: 0)

    def a_of(p: Any, off: Any, off_v: Any, ahead: Any, lo: Any, hi: Any) -> Any:
        """Each arc's a: the value of its parts, each floored at what is still ahead of it
        (the suffix's least delay and its variance bounds, plus its offsets)."""
        a = np.zeros(len(ahead))
        for m in range(p.shape[1]):
            r = floors(off[:, m] + ahead, off_v[:, m] + lo, off_v[:, m] + hi)
            a = p[:, m] * r + (1.0 - p[:, m]) * a
        return a

    src_a, dst_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    tau = np.array([t for t, _ in taus])
    tau_v = np.array([v for _, v in taus])
    p_a, off_a, offv_a, b_a = table(parts)
    H = np.full(n * layers, np.inf)
    D = np.full(n * layers, np.inf)
    LO = np.full(n * layers, np.inf)
    # the most variance ahead, capped by the whole network's (no simple path has more; a
    # walk counted past it is not one, and the top layer's walks are read as unbounded)
    HI = np.full(n * layers, -np.inf)
    # the target's own step, nothing after it: its value exactly
    end_parts = _end_parts(problem)
    t_end = problem.zones[target].t
    var_end = problem.zones[target].s ** 2
    a_end = 0.0
    for pp, oo, vv in end_parts:
        one = np.array([vv])
        a_end = pp * float(floors(np.array([oo]), one, one)[0]) + (1.0 - pp) * a_end
    k_end = min(layers - 1, int(t_end / width))
    at = k_end * n + idx[target]
    H[at], D[at], LO[at], HI[at] = a_end, t_end, var_end, var_end
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
            c = col[live]
            ahead, lo = D[c], LO[c]
            hi = HI[c] if j < layers - 1 else np.full(len(c), np.inf)
            value = a_of(p_a[live], off_a[live], offv_a[live], ahead, lo, hi)
            value += b_a[live] * H[c]
            delay = tau[live] + ahead
            k = np.minimum((delay / width).astype(np.int64), layers - 1)
            where = k * n + src_a[live]
            here = k == j
            mine = where[here]
            fields = (H, D, LO) if j == layers - 1 else (H, D, LO, HI)
            before = [f[mine].copy() for f in fields]
            np.minimum.at(H, where, value)
            np.minimum.at(D, where, delay)
            np.minimum.at(LO, where, tau_v[live] + lo)
            np.maximum.at(HI, where, np.minimum(tau_v[live] + hi, total))
            after = [f[mine] for f in fields]
            if not here.any() or all(
                np.array_equal(a, b) for a, b in zip(before, after, strict=True)
            ):
                break
    # from each start: its crossing into w, then every layer of w
    s_dst_a = np.array(s_dst, dtype=np.int64)
    p_s, off_s, offv_s, b_s = table(s_parts)
    cols = (np.arange(layers)[:, None] * n + s_dst_a[None, :]).ravel()
    arc = np.tile(np.arange(len(s_dst)), layers)
    live = np.nonzero(np.isfinite(H[cols]))[0]
    if not len(live):
        return 0.0
    cols, arc = cols[live], arc[live]
    top = cols >= (layers - 1) * n
    hi_s = np.where(top, np.inf, HI[cols])
    value = a_of(p_s[arc], off_s[arc], offv_s[arc], D[cols], LO[cols], hi_s)
    value += b_s[arc] * H[cols]
    return max(0.0, float(value.min()))


def _end_parts(problem: Problem) -> list[Part]:
    """The target's own step as parts (``_arcs``' form), nothing after it."""
    folded: list[Part] = []
    tail, var = 0.0, 0.0
    for part in reversed(parts_of(problem.zones[problem.target])):
        if part.p > 0.0:
            folded.append((part.p, part.w * part.t + tail, (part.w * part.s) ** 2 + var))
        tail += part.t
        var += part.s * part.s
    return folded
