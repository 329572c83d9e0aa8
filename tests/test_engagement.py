"""The engagement model behind P(N): the stochastic square law, serial engagements, a table."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.analysis.engagement import SquareLaw, Table, p_neutralization
from audit.analysis.response import Unit
from audit.analysis.timeline import Force

ARMS = {"armed": 1.0, "unarmed": 0.1}


@cache
def _brown(d: int, a: int) -> Fraction:
    """P(defenders win) of the square-law chain with equal arms, in exact fractions."""
    if a == 0:
        return Fraction(1)
    if d == 0:
        return Fraction(0)
    return Fraction(d, d + a) * _brown(d, a - 1) + Fraction(a, d + a) * _brown(d - 1, a)


@pytest.mark.parametrize("d, a", [(2, 4), (8, 4), (4, 4), (1, 2), (12, 4), (3, 1)])
def test_one_engagement_is_the_markov_chain(d, a):
    law = SquareLaw(ARMS, 1.0, True)
    out = law.outcome(d, True, a)
    assert math.isclose(sum(out), 1.0)
    assert out[0] == pytest.approx(float(_brown(d, a)), abs=1e-12)


def test_the_figures_of_the_issue():
    law = SquareLaw(ARMS, 1.0, True)
    assert p_neutralization(law, 4, [(2, True)]) == pytest.approx(0.080556, abs=1e-6)
    assert p_neutralization(law, 4, [(8, True)]) == pytest.approx(0.977724, abs=1e-6)


def test_a_lost_engagement_leaves_the_survivors_for_the_next_unit():
    law = SquareLaw(ARMS, 1.0, True)
    # 1 v 2: an attacker falls first with p 1/3, then either side with p 1/2: the unit wins
    # 1/6, is lost leaving one attacker 1/6, or is lost at once leaving both 2/3
    out = law.outcome(1, True, 2)
    assert out == pytest.approx((1 / 6, 1 / 6, 2 / 3))
    # a second unit of 6 meets what is left
    second = [law.outcome(6, True, k)[0] for k in (1, 2)]
    assert p_neutralization(law, 2, [(1, True), (6, True)]) == pytest.approx(
        out[0] + out[1] * second[0] + out[2] * second[1]
    )


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 8),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0.5, 1.0, 2.0]),
)
def test_fewer_attackers_and_more_defenders_never_lower_p_neutralization(d, a, armed, their, adv):
    law = SquareLaw(ARMS, adv, their)
    lo, hi = law.outcome(d, armed, a), law.outcome(d, armed, a + 1)
    # survivors of a larger team dominate stochastically: P(at most k left) falls
    for k in range(a + 1):
        assert sum(lo[: k + 1]) >= sum(hi[: k + 1]) - 1e-12
    assert law.outcome(d + 1, armed, a)[0] >= lo[0] - 1e-12


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 6), st.booleans()), min_size=1, max_size=4),
    st.integers(1, 5),
    st.booleans(),
    st.lists(st.floats(0, 1), min_size=4, max_size=4),
    st.integers(0, 3),
)
def test_one_more_unit_in_time_never_lowers_p_neutralization(units, team, armed, qs, k):
    law = SquareLaw(ARMS, 1.0, armed)
    force = Force(
        [Unit(f"u{i}", "responder", 10.0 * i, 0.0, s, a) for i, (s, a) in enumerate(units)],
        team,
        law,
    )
    qs = qs[: len(units)]
    more = list(qs)
    more[k % len(units)] = min(1.0, more[k % len(units)] + 0.3)
    assert force.from_q(more) >= force.from_q(qs) - 1e-12


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 6))
def test_arriving_piecemeal_is_never_better_than_together(x, y, team):
    law = SquareLaw(ARMS, 1.0, True)
    apart = p_neutralization(law, team, [(x, True), (y, True)])
    together = p_neutralization(law, team, [(x + y, True)])
    assert apart <= together + 1e-12


def test_large_forces_use_the_deterministic_law_and_stay_bounded():
    law = SquareLaw(ARMS, 1.0, True)
    assert law.outcome(10_000, True, 1000)[0] == 1.0  # 10^8 > 10^6
    out = law.outcome(600, True, 1000)  # 1000^2 - 600^2 = 800^2
    assert out[800] == 1.0


def test_a_table_of_p_neutralization_by_force_ratio():
    table = Table([[1.0, 0.5], [0.5, 0.1], [2.0, 0.9]], ARMS, True)
    assert table.outcome(4, True, 4) == (0.5, 0.0, 0.0, 0.0, 0.5)
    assert table.outcome(3, True, 2)[0] == pytest.approx(0.7)  # ratio 1.5, half-way
    assert table.outcome(1, False, 4)[0] == 0.1  # below the table: its first row
    with pytest.raises(ValueError, match="must not fall"):
        Table([[1.0, 0.5], [2.0, 0.4]], ARMS, True)
