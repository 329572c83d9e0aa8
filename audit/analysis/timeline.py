"""P(E) along the engagement timeline of a path.

EASI's P(I) sums, over the detection points k of a path, the chance that k is
the first detection times the chance the response arrives in the time that
remains. P(E) keeps the sum and replaces that chance with what follows the
alarm at k:

    P(E)  = p_comm * sum_k p_k prod_{j<k} (1 - p_j) * N_k
    N_k   = P(the units arriving after k defeat the adversary)
    q_u,k = Phi((T_k - r_u) / sqrt(sd_u^2 + VarT_k))

T_k and VarT_k are EASI's time remaining after k and its variance; unit u
(mean arrival r_u, sd sd_u) is in time with probability q_u,k, and the units
in time engage in arrival order (``engagement``). The units' arrivals are
taken as independent of each other given the alarm [assumed: exact when the
path's delays have no variance, since T_k is then fixed]. N_k is the engagement
model applied unit by unit, each unit present with its q_u,k.

The same sum with "any unit in time wins" in place of the engagement gives
P(I) on the timeline: the chance that some unit arrives in time after the
first detection. With one unit it is EASI's P(I); with several it counts them
all, not only the fastest. P(N) is then P(E) / P(I): the share of timely
interruptions that end in neutralisation.

A ``Curve`` is what the search needs of a response: its value at a remaining
time and variance, the slowest mean arrival (for dominance) and a floor on what
any prefix can give (for pruning); see ``search``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from audit.analysis.bounds import prefix_floor
from audit.analysis.easi import Composite, Step, expand, p_response, response_floor
from audit.analysis.engagement import Model, engage


class Arrival(Protocol):
    """When one unit arrives after an alarm, and what it brings (``response.Unit``)."""

    @property
    def id(self) -> str: ...
    @property
    def response_s(self) -> float: ...
    @property
    def response_sd_s(self) -> float: ...
    @property
    def size(self) -> int: ...
    @property
    def armed(self) -> bool: ...


MEMO = 100_000
"""Values of ``Force.at`` and ``Force.floor`` a curve remembers (then it starts afresh: the
memory of a search on a large site stays bounded)."""


class _Wins:
    """Any unit in time interrupts: the engagement of P(I) on the timeline."""

    key = ("any unit interrupts",)

    def outcome(self, size: int, armed: bool, attackers: int) -> tuple[float, ...]:
        return (1.0,) + (0.0,) * attackers


class Force:
    """N(T, VarT): P(units arriving within T defeat a team), under ``model``."""

    def __init__(
        self,
        units: Sequence[Arrival],
        team: int,
        model: Model | None = None,
        break_at: int = 0,
    ) -> None:
        """``break_at``: the team breaks off (is neutralised) with this many or fewer left."""
        self.break_at = max(0, min(int(break_at), int(team) - 1))
        self.units = tuple(sorted((u for u in units if not math.isinf(u.response_s)), key=_order))
        self.team = max(1, int(team))
        self.model = model if model is not None else _Wins()
        self.r = [u.response_s for u in self.units]
        self.r_max = max(self.r, default=0.0)
        self.key = (
            tuple((u.id, u.response_s, u.response_sd_s, u.size, u.armed) for u in self.units),
            self.team,
            self.break_at,
            getattr(self.model, "key", None) or id(self.model),
        )
        """Equal keys, equal curves (a cache key for searches)."""
        self.fixed = all(u.response_sd_s == 0.0 for u in self.units)
        # P(N) when the first k units (in arrival order) are in time: the value whenever
        # nothing is uncertain (no delay variance, no response sd)
        self._prefix = [0.0]
        dist = [0.0] * self.team + [1.0]
        for u in self.units:
            dist = self._broken(engage(dist, self.model, u.size, u.armed, 1.0))
            self._prefix.append(dist[0])
        # per unit, per attackers met (1..team), the outcomes of its engagement that can
        # happen, (attackers left, probability): ``engage`` without asking the model each time
        # values asked again (a search meets the same delay and variance through equal
        # elements): a pure function of its arguments, remembered up to ``MEMO`` of each
        self._at: dict[tuple[float, float], float] = {}
        self._floors: dict[tuple[float, float, float, float], float] = {}
        self._rows = [
            [()]
            + [
                tuple((k, p) for k, p in enumerate(self.model.outcome(u.size, u.armed, a)) if p)
                for a in range(1, self.team + 1)
            ]
            for u in self.units
        ]

    def interruption(self) -> Force:
        """The same units with "any unit in time interrupts" (P(I) on the timeline)."""
        return Force(self.units, self.team)  # any unit in time interrupts: no fight

    def in_time(self, remaining: float, variance: float) -> list[float]:
        """P(in time) of each unit (arrival order) with ``remaining`` s left, of ``variance``."""
        return [p_response(remaining, variance, u.response_s, u.response_sd_s) for u in self.units]

    def at(self, remaining: float, variance: float) -> float:
        if self.fixed and variance == 0.0:
            return self._prefix[bisect.bisect_right(self.r, remaining)]
        key = (remaining, variance)
        found = self._at.get(key)
        if found is None:
            if len(self._at) >= MEMO:
                self._at.clear()
            found = self._at[key] = self.from_q(self.in_time(remaining, variance))
        return found

    def from_q(self, qs: Sequence[float]) -> float:
        """P(N) when each unit is in time with its probability in ``qs``."""
        # ``engage`` unit by unit, the model's outcomes read from ``_rows`` (the same sums in
        # the same order: the same figures)
        dist = [0.0] * self.team + [1.0]
        span = range(1, self.team + 1)
        for rows, q in zip(self._rows, qs, strict=True):
            if q <= 0.0:
                continue
            out = [dist[0]] + [(1.0 - q) * p for p in dist[1:]]
            for a in span:
                mass = dist[a]
                if mass == 0.0:
                    continue
                qm = q * mass
                for k, p in rows[a]:
                    out[k] += qm * p
            dist = self._broken(out) if self.break_at else out
        return dist[0]

    def from_q_arrays(self, qs: Sequence[Any]) -> Any:
        """``from_q`` over arrays (numpy): each unit's chances in time, element by element
        (a bound over many paths at once, ``layered_bound``)."""
        zero = qs[0] * 0.0
        dist = [zero] * self.team + [zero + 1.0]
        span = range(1, self.team + 1)
        b = self.break_at
        for rows, q in zip(self._rows, qs, strict=True):
            out = [dist[0]] + [(1.0 - q) * p for p in dist[1:]]
            for a in span:
                qm = q * dist[a]
                for k, p in rows[a]:
                    out[k] = out[k] + qm * p
            if b:
                out = [sum(out[: b + 1], zero)] + [zero] * b + out[b + 1 :]
            dist = out
        return dist[0]

    def _broken(self, dist: list[float]) -> list[float]:
        """A team down to ``break_at`` or fewer breaks off: it counts as neutralised."""
        b = self.break_at
        if b and any(dist[1 : b + 1]):
            return [sum(dist[: b + 1])] + [0.0] * b + dist[b + 1 :]
        return dist

    def floor(self, d: float, v: float, inv_kappa: float, rate: float = math.inf) -> float:
        """Lowest value any element put in front of a suffix (d, v) can have: each unit's
        chance in time is a P(R|A) with the unit's arrival for the response, so at least
        both of EASI's floors (``easi.response_floor``, and ``bounds.prefix_floor`` where
        a prefix adds at most ``rate`` of variance per second of delay), and N rises with
        each chance."""
        key = (d, v, inv_kappa, rate)
        found = self._floors.get(key)
        if found is None:
            if len(self._floors) >= MEMO:
                self._floors.clear()
            found = self._floors[key] = self.from_q(
                [
                    max(
                        response_floor(d, v, u.response_s, u.response_sd_s**2, inv_kappa),
                        prefix_floor(d, v, u.response_s, u.response_sd_s**2, rate),
                    )
                    for u in self.units
                ]
            )
        return found


def _order(u: Arrival) -> tuple[float, str]:
    return (u.response_s, u.id)


def prepend(
    delay: float, variance: float, q: float, st: Step, curve: Force
) -> tuple[float, float, float]:
    """``easi.prepend`` with N(T, VarT) of ``curve`` in place of P(R|A)."""
    if isinstance(st, Composite):
        for part in reversed(st.parts):
            delay, variance, q = prepend(delay, variance, q, part, curve)
        return delay, variance, q
    if st.p == 0.0:  # nothing detects here: the suffix's value carries over unchanged
        return delay + st.t, variance + st.s * st.s, q
    pr = curve.at(st.w * st.t + delay, (st.w * st.s) ** 2 + variance)
    return delay + st.t, variance + st.s * st.s, st.p * pr + (1.0 - st.p) * q


def p_effectiveness(steps: Sequence[Step], curve: Force, p_comm: float = 1.0) -> float:
    """P(E) of a path, forwards, exactly as the module docstring states it."""
    total = 0.0
    miss = 1.0
    for st, (rest_t, rest_v) in _after(expand(steps)):
        if st.p > 0.0:
            total += st.p * miss * curve.at(st.w * st.t + rest_t, (st.w * st.s) ** 2 + rest_v)
        miss *= 1.0 - st.p
    return p_comm * total


def _after(flat: list[Step]) -> list[tuple[Step, tuple[float, float]]]:
    """Each step with the time and variance after it, summed from the end as the search
    sums them (so both see the same floating-point figures)."""
    after: list[tuple[float, float]] = []
    rest_t = rest_v = 0.0
    for st in reversed(flat):
        after.append((rest_t, rest_v))
        rest_t, rest_v = rest_t + st.t, rest_v + st.s * st.s
    after.reverse()
    return list(zip(flat, after, strict=True))


@dataclass(frozen=True)
class Point:
    """One detection point of a path: the chance it is the first, the time left, and what
    the response makes of it."""

    index: int
    """Which of the path's elements (composites count once)."""
    p_first: float
    remaining_s: float
    remaining_sd_s: float
    in_time: tuple[float, ...]
    """P(in time) of each unit of the curve, in arrival order."""
    value: float
    """N_k: P(the units in time neutralise the adversary)."""


def points(steps: Sequence[Step], curve: Force) -> list[Point]:
    """Every detection point of a path, in order (plain steps; composites part by part)."""
    owner = [i for i, st in enumerate(steps) for _ in expand([st])]
    flat = expand(steps)
    out = []
    miss = 1.0
    for i, (st, (rest_t, rest_v)) in enumerate(_after(flat)):
        remaining = st.w * st.t + rest_t
        variance = (st.w * st.s) ** 2 + rest_v
        qs = tuple(curve.in_time(remaining, variance))
        value = curve.at(remaining, variance)
        out.append(Point(owner[i], st.p * miss, remaining, math.sqrt(variance), qs, value))
        miss *= 1.0 - st.p
    return out
