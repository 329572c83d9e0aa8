"""Hours in a site file: a daily span from one time to another on some days.

Shifts, patrols, public hours, locked hours, relays and responders all say when with
``Span``; ``audit.site.schedule`` turns spans into the week's 15-minute slots.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from audit.site.values import WEEKDAYS, Strict, TimeOfDay, Weekday


class Span(Strict):
    """Daily hours from ``from`` to ``to`` (past midnight when ``to`` is earlier) on ``days``."""

    from_: TimeOfDay = Field(alias="from")
    to: TimeOfDay
    hours: Annotated[float, Field(gt=0, le=24)] | None = Field(
        None,
        description="Length in hours; required as 24 when from and to are the same time.",
    )
    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS))

    @model_validator(mode="after")
    def _length(self) -> Span:
        """``from: 08:00, to: 08:00`` is 24 hours only when it says so."""
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (self.from_, self.to))
        span = ((end - start) % 1440 or 1440) / 60
        if self.hours is None and self.from_ == self.to:
            raise ValueError(
                f'the hours start and end at "{self.from_}"; for 24 hours add "hours: 24"'
            )
        if self.hours is not None and abs(self.hours - span) > 1e-9:
            raise ValueError(
                f'"hours: {self.hours:g}" does not match {self.from_}-{self.to} ({span:g} hours)'
            )
        return self
