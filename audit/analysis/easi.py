"""EASI (Estimate of Adversary Sequence Interruption), Garcia / Sandia.

For path elements 1..n in the order an adversary meets them, with detection
probability p_i, mean delay t_i, delay sd s_i and detection-point weight w_i
(1, 0.5, 0 for detection at the Beginning, Middle, End of the element):

    P(I)     = p_comm * sum_i P(R|A_i) * p_i * prod_{j<i} (1 - p_j)
    P(R|A_i) = Phi((T_i - RFT) / sqrt(sd_RFT^2 + VarT_i))
    T_i      = w_i t_i + sum_{k>i} t_k,   VarT_i = w_i^2 s_i^2 + sum_{k>i} s_k^2

When the denominator is zero the response time and the remaining time are
both exact, and P(R|A_i) is 1 if T_i >= RFT, else 0.

An element detected at more than one point (a door with a camera that sees
the attack start and a contact that alarms when it opens) is a ``Composite``:
consecutive sub-steps with the element's delay split so that each point gets
exactly EASI's remaining time and variance,

    B: (p_B, t/2, s*sqrt(3)/2, w=1)   M: (p_M, t/2, s/2, w=1)   E: (p_E, 0, 0, w=0)

so T is w t + rest for each point (t + R, t/2 + R, R) and the variance w^2 s^2
+ rest (s^2, s^2/4, 0), detection at a later point counting only if the earlier
ones missed. Its totals (p = 1 - prod(1 - p_x), t, s) stand for the element
wherever one figure is needed.

This module computes P(I) forwards (``p_interruption``) and backwards one
element at a time (``prepend``), which is what the path search builds on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

SQRT2 = math.sqrt(2.0)


def phi(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * math.erfc(-x / SQRT2)


def p_response(remaining: float, variance: float, rft: float, rft_sd: float) -> float:
    """P(R|A): probability the response arrives before the adversary finishes."""
    if math.isinf(rft):
        return 0.0
    denom = math.sqrt(rft_sd * rft_sd + variance)
    if denom == 0.0:
        return 1.0 if remaining >= rft else 0.0
    # ``phi`` written out: the search asks this ~1,600 times per site
    return 0.5 * math.erfc(-((remaining - rft) / denom) / SQRT2)


@dataclass(frozen=True)
class Step:
    """One element of a path, as EASI sees it."""

    p: float
    t: float
    s: float
    w: float


@dataclass(frozen=True)
class Composite(Step):
    """An element detected at several points: ``parts`` in path order, totals in p, t, s, w."""

    parts: tuple[Step, ...] = ()


POINT_WEIGHT = {"B": 1.0, "M": 0.5, "E": 0.0}


def element_step(points: Sequence[tuple[str, float]], t: float, s: float, at: str) -> Step:
    """The step of an element with delay (t, s) detected at ``points`` [(B|M|E, p), ...]
    (a single point, or none: one plain step at ``at``)."""
    live = {x: p for x, p in points if p > 0.0}
    if len(live) <= 1:
        ((x, p),) = live.items() if live else ((at, 0.0),)
        return Step(p, t, s, POINT_WEIGHT[x])
    parts = (
        Step(live.get("B", 0.0), t / 2, s * math.sqrt(3) / 2, 1.0),
        Step(live.get("M", 0.0), t / 2, s / 2, 1.0),
        Step(live.get("E", 0.0), 0.0, 0.0, 0.0),
    )
    miss = math.prod(1.0 - p for p in live.values())
    first = min(live, key=lambda x: "BME".index(x))
    return Composite(1.0 - miss, t, s, POINT_WEIGHT[first], parts)


def expand(steps: Sequence[Step]) -> list[Step]:
    """The plain steps of a path, composites replaced by their parts."""
    out: list[Step] = []
    for st in steps:
        out += st.parts if isinstance(st, Composite) else [st]
    return out


@lru_cache(maxsize=1 << 12)
def without_variance(st: Step) -> Step:
    """The same element with every delay sd set to zero (memoised: the steps of a site's
    elements recur in every asset's problem)."""
    from dataclasses import replace

    if st.s == 0.0 and not isinstance(st, Composite):
        return st
    if isinstance(st, Composite):
        return replace(st, s=0.0, parts=tuple(replace(x, s=0.0) for x in st.parts))
    return replace(st, s=0.0)


def p_interruption(steps: Sequence[Step], rft: float, rft_sd: float, p_comm: float = 1.0) -> float:
    """P(I) of a path, computed forwards exactly as the model states it."""
    steps = expand(steps)
    total = 0.0
    miss = 1.0
    for st, (after, after_var) in zip(steps, _rests(steps), strict=True):
        remaining = st.w * st.t + after
        variance = (st.w * st.s) ** 2 + after_var
        total += p_response(remaining, variance, rft, rft_sd) * st.p * miss
        miss *= 1.0 - st.p
    return p_comm * total


def cumulative(
    steps: Sequence[Step], rft: float, rft_sd: float, p_comm: float = 1.0
) -> list[tuple[float, float, float]]:
    """Per element: (P(R|A_i), remaining time T_i, P(I) accumulated up to and including i).

    For a composite the figures are those of its first detection point, with P(I)
    accumulated over all of its points."""
    sizes = [len(st.parts) if isinstance(st, Composite) else 1 for st in steps]
    flat = _cumulative(expand(steps), rft, rft_sd, p_comm)
    out, i = [], 0
    for n, st in zip(sizes, steps, strict=True):
        first = flat[i]
        if isinstance(st, Composite):
            first = next((flat[i + k] for k, part in enumerate(st.parts) if part.p > 0), flat[i])
        out.append((first[0], first[1], flat[i + n - 1][2]))
        i += n
    return out


def _cumulative(
    steps: Sequence[Step], rft: float, rft_sd: float, p_comm: float
) -> list[tuple[float, float, float]]:
    out = []
    total, miss = 0.0, 1.0
    for st, (after, after_var) in zip(steps, _rests(steps), strict=True):
        remaining = st.w * st.t + after
        variance = (st.w * st.s) ** 2 + after_var
        pr = p_response(remaining, variance, rft, rft_sd)
        total += pr * st.p * miss
        miss *= 1.0 - st.p
        out.append((pr, remaining, p_comm * total))
    return out


def critical_detection_point(steps: Sequence[Step], rft: float) -> int | None:
    """Index of the last element where the remaining time is still >= RFT, or None (an
    element counts from the start of its delay: detection at its Beginning)."""
    cdp = None
    for i, (st, (after, _)) in enumerate(zip(steps, _rests(steps), strict=True)):
        remaining = st.w * st.t + after
        if remaining >= rft:
            cdp = i
    return cdp


def _rests(steps: Sequence[Step]) -> list[tuple[float, float]]:
    """Per step, the delay and the variance of the steps after it (one backward pass: a
    path of thousands of elements is linear, not quadratic)."""
    out = [(0.0, 0.0)] * len(steps)
    t = v = 0.0
    for i in range(len(steps) - 1, -1, -1):
        out[i] = (t, v)
        t += steps[i].t
        v += steps[i].s * steps[i].s
    return out


def prepend(
    delay: float, variance: float, q: float, st: Step, rft: float, rft_sd: float
) -> tuple[float, float, float]:
    """(delay, variance, P(I)/p_comm) of a suffix after putting ``st`` in front of it."""
    if isinstance(st, Composite):
        for part in reversed(st.parts):
            delay, variance, q = prepend(delay, variance, q, part, rft, rft_sd)
        return delay, variance, q
    pr = p_response(st.w * st.t + delay, (st.w * st.s) ** 2 + variance, rft, rft_sd)
    return delay + st.t, variance + st.s * st.s, st.p * pr + (1.0 - st.p) * q


def response_floor(d: float, v: float, rft: float, c: float, inv_kappa: float) -> float:
    """Lowest P(R|A) any prefix element can have in front of a suffix (d, v).

    A prefix adds delay a and variance b <= kappa^2 a^2 (every element has s <= kappa t),
    so its P(R|A) is at least Phi of min over a >= 0 of (d - rft + a) / sqrt(c + v + kappa^2 a^2),
    which is min((d - rft) / sqrt(c + v), 1 / kappa): the ratio rises from a = 0, peaks, and
    falls towards 1/kappa (behind the response, d < rft, it only rises).
    """
    x, k = d - rft, c + v
    if k > 0:
        return phi(min(x / math.sqrt(k), inv_kappa))
    if x < 0:
        return 0.0
    return 1.0 if math.isinf(inv_kappa) else phi(inv_kappa)
