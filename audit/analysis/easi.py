"""EASI (Estimate of Adversary Sequence Interruption), Garcia / Sandia.

For path elements 1..n in the order an adversary meets them, with detection
probability p_i, mean delay t_i, delay sd s_i and detection-point weight w_i
(1, 0.5, 0 for detection at the Beginning, Middle, End of the element):

    P(I)     = p_comm * sum_i P(R|A_i) * p_i * prod_{j<i} (1 - p_j)
    P(R|A_i) = Phi((T_i - RFT) / sqrt(sd_RFT^2 + VarT_i))
    T_i      = w_i t_i + sum_{k>i} t_k,   VarT_i = w_i^2 s_i^2 + sum_{k>i} s_k^2

When the denominator is zero the response time and the remaining time are
both exact, and P(R|A_i) is 1 if T_i >= RFT, else 0.

This module computes P(I) forwards (``p_interruption``) and backwards one
element at a time (``prepend``), which is what the path search builds on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def phi(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def p_response(remaining: float, variance: float, rft: float, rft_sd: float) -> float:
    """P(R|A): probability the response arrives before the adversary finishes."""
    if math.isinf(rft):
        return 0.0
    denom = math.sqrt(rft_sd * rft_sd + variance)
    if denom == 0.0:
        return 1.0 if remaining >= rft else 0.0
    return phi((remaining - rft) / denom)


@dataclass(frozen=True)
class Step:
    """One element of a path, as EASI sees it."""

    p: float
    t: float
    s: float
    w: float


def p_interruption(steps: Sequence[Step], rft: float, rft_sd: float, p_comm: float = 1.0) -> float:
    """P(I) of a path, computed forwards exactly as the model states it."""
    total = 0.0
    miss = 1.0
    for i, st in enumerate(steps):
        rest = steps[i + 1 :]
        remaining = st.w * st.t + sum(x.t for x in rest)
        variance = (st.w * st.s) ** 2 + sum(x.s * x.s for x in rest)
        total += p_response(remaining, variance, rft, rft_sd) * st.p * miss
        miss *= 1.0 - st.p
    return p_comm * total


def cumulative(
    steps: Sequence[Step], rft: float, rft_sd: float, p_comm: float = 1.0
) -> list[tuple[float, float, float]]:
    """Per element: (P(R|A_i), remaining time T_i, P(I) accumulated up to and including i)."""
    out = []
    total, miss = 0.0, 1.0
    for i, st in enumerate(steps):
        rest = steps[i + 1 :]
        remaining = st.w * st.t + sum(x.t for x in rest)
        variance = (st.w * st.s) ** 2 + sum(x.s * x.s for x in rest)
        pr = p_response(remaining, variance, rft, rft_sd)
        total += pr * st.p * miss
        miss *= 1.0 - st.p
        out.append((pr, remaining, p_comm * total))
    return out


def critical_detection_point(steps: Sequence[Step], rft: float) -> int | None:
    """Index of the last element where the remaining time is still >= RFT, or None."""
    cdp = None
    for i, st in enumerate(steps):
        remaining = st.w * st.t + sum(x.t for x in steps[i + 1 :])
        if remaining >= rft:
            cdp = i
    return cdp


def prepend(
    delay: float, variance: float, q: float, st: Step, rft: float, rft_sd: float
) -> tuple[float, float, float]:
    """(delay, variance, P(I)/p_comm) of a suffix after putting ``st`` in front of it."""
    pr = p_response(st.w * st.t + delay, (st.w * st.s) ** 2 + variance, rft, rft_sd)
    return delay + st.t, variance + st.s * st.s, st.p * pr + (1.0 - st.p) * q
