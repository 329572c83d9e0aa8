"""One validation of numbers for every input surface: files, options, plans.

A number from outside is accepted when it is a real number (not a boolean, not
text), finite (no NaN, no infinity: JSON cannot carry them and every
comparison with NaN is false, so ``value < 0`` lets it through), inside the
range its meaning allows, and it says so with its unit when it is not. The
readers (YAML and JSON) refuse non-finite numbers and integers no float can
hold; the model, the costs file and the command-line options then check the
range with ``Range``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_DIGITS = 400
"""Digits of an integer literal a reader accepts: past 309 no float can hold it anyway."""


def finite(value: object) -> bool:
    """Whether ``value`` is a real, finite number that fits a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        try:
            return math.isfinite(float(value))
        except OverflowError:
            return False
    return math.isfinite(value)


@dataclass(frozen=True)
class Range:
    """What a number means: its unit and the values that make sense for it."""

    unit: str = ""
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    """The low end itself is not allowed (a life of 0 years divides by zero)."""
    integer: bool = False

    def describe(self) -> str:
        kind = "a whole number" if self.integer else "a finite number"
        unit = f" ({self.unit})" if self.unit else ""
        if self.low is not None and self.high is not None:
            lo = f"above {self.low:g}" if self.low_open else f"from {self.low:g}"
            return f"{kind}{unit} {lo} to {self.high:g}"
        if self.low is not None:
            return f"{kind}{unit} {'>' if self.low_open else '>='} {self.low:g}"
        if self.high is not None:
            return f"{kind}{unit} <= {self.high:g}"
        return kind + unit

    def problem(self, value: object) -> str | None:
        """None when ``value`` is acceptable, else what was expected and what was given."""
        from audit.common.errors import excerpt

        ok = finite(value) and (not self.integer or isinstance(value, int))
        if ok:
            v = float(value)  # type: ignore[arg-type]
            low_ok = self.low is None or (v > self.low if self.low_open else v >= self.low)
            ok = low_ok and (self.high is None or v <= self.high)
        if ok:
            return None
        return f"expected {self.describe()}; got {excerpt(value)}"


def parse(text: str, rng: Range) -> float:
    """``text`` (an option's value) as a number in ``rng``; ValueError saying what was
    expected."""
    from audit.common.errors import excerpt

    raw = text.strip()
    digits = sum(ch.isdigit() for ch in raw)
    value: int | float
    try:
        if digits > MAX_DIGITS:
            raise ValueError
        value = int(raw) if rng.integer else float(raw)
    except ValueError:
        raise ValueError(f"expected {rng.describe()}; got {excerpt(text)}") from None
    if rng.problem(value):
        raise ValueError(f"expected {rng.describe()}; got {excerpt(text)}")
    return value


def ratio(value: float | None) -> str:
    """A probability to three places, or "n/a" where it is not defined (P(N) where nothing
    on the path detects: P(E) / P(I) is 0/0 there, and 0 would say the response fails)."""
    return "n/a" if value is None else f"{value:.3f}"
