"""P(N): the chance that the units which arrive in time defeat the adversary.

**Serial engagements.** The units that arrive before the adversary finishes
engage it one after another, in the order of their mean arrival times (ties:
by id) [assumed: arrival order by mean, not drawn at random]. Each engagement
is fought to its end before the next unit joins: the first unit meets the
whole team; if it is lost, the attackers still standing meet the next unit,
and so on. The adversary is neutralised when no attacker is left standing.
Under the square law a force that arrives piecemeal does worse than the same
force arriving together (Lanchester's argument for concentration), so serial
engagement does not credit the defender with more than it can count on.
Engagements are taken to be short beside the adversary's path [assumed]: an
engagement that starts in time counts, however long it lasts.

**One engagement: the stochastic square law** (Brown, "Theory of combat: the
probability of winning", Operations Research 11 (1963) 418-425; Taylor,
*Lanchester Models of Warfare*, 1983, ch. 4). Aimed fire: each side's
casualties come at a rate proportional to the number of the other side still
firing. With x defenders of effectiveness alpha and y attackers of
effectiveness beta, the next casualty is an attacker with probability

    alpha x / (alpha x + beta y)

and a defender otherwise; the chain runs until one side is gone. P(win) and
the attackers left when the unit is lost follow exactly from this Markov chain
(no simulation). Equal numbers give 1/2; 2 v 4 gives 0.081, 8 v 4 0.978
(the deterministic law's ratio D^2 / (D^2 + A^2) is not a probability of
winning and gives 0.2 and 0.8). The constants (``engagement`` in
``audit/data/threats.yaml``): alpha and beta are ``arms`` (armed 1, unarmed
0.1 [assumed]) times, for the defender, ``defender_advantage`` (1 [assumed]).

Large forces (size x team^2 above ``EXACT_LIMIT``) are judged by the
deterministic square law instead (the limit the chain tends to as numbers
grow): the side of greater alpha x^2 wins, a tie is an even chance, and the
attackers left after a loss are sqrt(y^2 - alpha/beta x^2), rounded up. This
bounds the work on any file.

**A table instead.** An organisation that has its own engagement results
(simulation, exercises) may give ``engagement.table``: P(N) of one engagement
by force ratio (the unit's size x arms over the team's), as rising
[ratio, P(N)] pairs, interpolated linearly and held flat beyond the ends. A
table says nothing of attrition, so a lost engagement leaves the team whole
[assumed: the defender is credited with no casualties it inflicts].

**Breaking off.** A team that is not ``determined`` gives up once it is down
to ``team x (1 - break_off)`` or fewer (``break_off`` 0.5 [assumed]): that
counts as neutralised (``timeline.Force``). A determined team (a suicide
attack, a vehicle bomb) fights to the last, so against it only the
engagement's own end counts. Folding "few enough left" into "neutralised"
keeps both properties below.

Every model here has the two properties the P(E) search relies on (checked by
tests): fewer attackers never lowers P(N), and an engagement never leaves more
attackers than it met; so one more unit in time never lowers P(N).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Protocol

EXACT_LIMIT = 4_000_000
"""Largest size x team^2 solved as a Markov chain (work is of that order)."""


class Model(Protocol):
    """One engagement: the distribution of attackers left after a unit engages them."""

    def outcome(self, size: int, armed: bool, attackers: int) -> tuple[float, ...]:
        """P(k attackers left) for k = 0..attackers after a unit of ``size`` (``armed``)
        engages ``attackers``; k = 0 is neutralisation."""
        ...


class SquareLaw:
    """Serial engagements under the stochastic square law (module docstring)."""

    def __init__(self, arms: dict[str, float], advantage: float, threat_armed: bool) -> None:
        self.arms = {k: float(v) for k, v in arms.items()}
        self.advantage = float(advantage)
        self.beta = self.arms["armed" if threat_armed else "unarmed"]
        self.key = ("square law", tuple(sorted(self.arms.items())), self.advantage, self.beta)

    def outcome(self, size: int, armed: bool, attackers: int) -> tuple[float, ...]:
        alpha = self.advantage * self.arms["armed" if armed else "unarmed"]
        return _square_law(size, attackers, alpha, self.beta)


@lru_cache(maxsize=4096)
def _square_law(x0: int, y0: int, alpha: float, beta: float) -> tuple[float, ...]:
    """Distribution of attackers left (index 0: neutralised) from x0 defenders v y0 attackers."""
    out = [0.0] * (y0 + 1)
    if y0 == 0:
        return (1.0,)
    if x0 == 0 or alpha <= 0.0 and beta <= 0.0:
        out[y0] = 1.0
        return tuple(out)
    if x0 * y0 * y0 > EXACT_LIMIT:
        return _deterministic(x0, y0, alpha, beta)
    # forward over the casualties so far: every state (x, y) with x + y = n at step n
    mass = {(x0, y0): 1.0}
    while mass:
        nxt: dict[tuple[int, int], float] = {}
        for (x, y), p in mass.items():
            a, b = alpha * x, beta * y
            hit_attacker = a / (a + b)
            for state, q in (((x, y - 1), hit_attacker), ((x - 1, y), 1.0 - hit_attacker)):
                if q <= 0.0:
                    continue
                if state[1] == 0:
                    out[0] += p * q
                elif state[0] == 0:
                    out[state[1]] += p * q
                else:
                    nxt[state] = nxt.get(state, 0.0) + p * q
        mass = nxt
    return tuple(out)


def _deterministic(x: int, y: int, alpha: float, beta: float) -> tuple[float, ...]:
    out = [0.0] * (y + 1)
    own, theirs = alpha * x * x, beta * y * y
    if own > theirs:
        out[0] = 1.0
    elif own == theirs:
        out[0], out[1] = 0.5, 0.5
    else:
        left = math.sqrt(y * y - own / beta) if beta > 0 else float(y)
        out[min(y, max(1, math.ceil(left - 1e-9)))] = 1.0
    return tuple(out)


class Table:
    """P(N) of one engagement by force ratio, from a table (module docstring)."""

    def __init__(self, rows: list[list[float]], arms: dict[str, float], threat_armed: bool) -> None:
        pts = sorted((float(r), float(p)) for r, p in rows)
        if not pts or any(b[1] < a[1] for a, b in zip(pts, pts[1:], strict=False)):
            raise ValueError("engagement.table: P(N) must not fall as the force ratio rises")
        if any(not 0.0 <= p <= 1.0 for _, p in pts):
            raise ValueError("engagement.table: every P(N) must lie in [0, 1]")
        self.rows = pts
        self.arms = {k: float(v) for k, v in arms.items()}
        self.beta = self.arms["armed" if threat_armed else "unarmed"]
        self.key = ("table", tuple(pts), tuple(sorted(self.arms.items())), self.beta)

    def p_win(self, ratio: float) -> float:
        rows = self.rows
        if ratio <= rows[0][0]:
            return rows[0][1]
        for (r0, p0), (r1, p1) in zip(rows, rows[1:], strict=False):
            if ratio <= r1:
                return p0 + (p1 - p0) * (ratio - r0) / (r1 - r0) if r1 > r0 else p1
        return rows[-1][1]

    def outcome(self, size: int, armed: bool, attackers: int) -> tuple[float, ...]:
        theirs = attackers * self.beta
        own = size * self.arms["armed" if armed else "unarmed"]
        p = self.p_win(own / theirs if theirs > 0 else math.inf)
        out = [0.0] * (attackers + 1)
        out[0] += p
        out[attackers] += 1.0 - p
        return tuple(out)


def model(threat_armed: bool, spec: dict[str, Any] | None = None) -> Model:
    """The engagement model ``spec`` describes (default: the shipped ``engagement``)."""
    from audit.site.threats import engagement

    spec = spec or engagement()
    if spec.get("table"):
        return Table(spec["table"], spec["arms"], threat_armed)
    return SquareLaw(spec["arms"], spec["defender_advantage"], threat_armed)


def p_neutralization(m: Model, team: int, units: list[tuple[int, bool]]) -> float:
    """P(N) when ``units`` ((size, armed), in arrival order) all engage a team of ``team``."""
    dist = [0.0] * team + [1.0]
    for size, armed in units:
        dist = engage(dist, m, size, armed, 1.0)
    return dist[0]


def engage(dist: list[float], m: Model, size: int, armed: bool, q: float) -> list[float]:
    """Attackers left after a unit that arrives with probability ``q`` engages: ``dist[k]``
    is P(k attackers left), k = 0 (neutralised) .. team."""
    if q <= 0.0:
        return dist
    out = [dist[0]] + [(1.0 - q) * p for p in dist[1:]]
    for a in range(1, len(dist)):
        mass = dist[a]
        if mass == 0.0:
            continue
        for k, p in enumerate(m.outcome(size, armed, a)):
            if p:
                out[k] += q * mass * p
    return out
