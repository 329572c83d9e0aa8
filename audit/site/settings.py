"""The site-wide parts of a site file: who and where it is, its hours of darkness, the
threats it is built against, and its waivers (none of them elements of the plan)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from audit.site.values import (
    Id,
    Located,
    Metres,
    Probability,
    Strict,
    SurveyPart,
    TimeOfDay,
    Value,
)


class Waiver(Located):
    rule: str = Field(min_length=1, description="Rule id; wildcards * and ? allowed.")
    element: Id
    reason: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    expires: dt.date


class Darkness(Strict):
    from_: TimeOfDay = Field("18:30", alias="from")
    to: TimeOfDay = "06:30"


class SiteInfo(Strict):
    id: Id
    name: str = Field(max_length=200)
    timezone: str | None = None
    address: str | None = None
    surveyed: dt.date | None = Field(None, description="Date the facts in this file were checked.")
    dark: Darkness = Field(default_factory=Darkness, description="Hours of darkness.")
    crs: str = Field(
        "local",
        pattern=r"^(local|EPSG:[0-9]{4,6})$",
        description='Coordinates of the plan: "local" (metres on a local grid, x east, y north) '
        'or an EPSG code, e.g. "EPSG:4326" for longitude and latitude (projected to metres '
        "around the site with pyproj).",
    )
    not_surveyed: list[SurveyPart] = Field(
        default_factory=list,
        description="Parts of the site nobody has surveyed yet (a file read from a map): "
        "what is not written of them is unknown, not absent, so a finding that rests on their "
        "absence is a fact to survey, not a lapse.",
    )
    p_comm: Probability = Field(0.95, description="Probability an alarm reaches the responders.")
    goal_p_interruption: Probability = Field(
        0.8, description="Lowest acceptable probability of interruption for any asset."
    )
    goal_p_effectiveness: Probability | dict[Value, Probability] | None = Field(
        None,
        description="Lowest acceptable P(E) = P(I) x P(N) against a declared threat: one "
        "figure, or one per asset value; default by value (critical 0.9, high 0.7, medium "
        "0.5, low 0.3 [assumed]).",
    )
    engagement_table: (
        list[
            Annotated[
                list[Annotated[float, Field(ge=0.0, le=1e6)]], Field(min_length=2, max_length=2)
            ]
        ]
        | None
    ) = Field(
        None,
        min_length=1,
        max_length=100,
        description="Your own P(N) of one engagement by force ratio, in place of the square law: "
        "[[ratio, P(N)], ...] with P(N) not falling as the ratio (a unit's size x arms over the "
        "team's) rises; a lost engagement leaves the team whole.",
    )

    @model_validator(mode="after")
    def _table_rises(self) -> SiteInfo:
        rows = sorted(self.engagement_table or [])
        if any(not 0.0 <= p <= 1.0 for _, p in rows):
            raise ValueError("engagement_table: every P(N) must lie between 0 and 1")
        if any(b[1] < a[1] for a, b in zip(rows, rows[1:], strict=False)):
            raise ValueError(
                "engagement_table: P(N) must not fall as the force ratio rises "
                "(rows as [ratio, P(N)])"
            )
        return self


class Threat(Strict):
    """A threat the site declares beyond the shipped ones, or changes one of them."""

    id: Id
    based_on: Id | None = Field(None, description="A shipped threat whose values it starts from.")
    description: str | None = Field(None, max_length=500)
    team: int | None = Field(None, ge=1, le=1000)
    armed: bool | None = None
    tools: Literal["hand", "power", "vehicle", "none"] | None = None
    explosives: bool | None = None
    tactic: Literal["force", "stealth", "deceit"] | None = None
    starts_in: list[Id] = Field(
        default_factory=list,
        description="Zones it starts in (an insider's workplace); none: wherever the site has "
        "no control, and for an insider also every open area the site controls.",
    )
    keys: list[Id] = Field(
        default_factory=list, description="Gates it holds keys or cards to (an insider)."
    )
    p_deceit: Probability | None = Field(
        None, description="Chance it passes a staffed post by deceit (a forged pass, a uniform)."
    )
    range_m: Metres | None = Field(None, description="Reach of its weapon from outside (standoff).")
    determined: bool | None = Field(
        None,
        description="It fights to the last and completes the act whatever it costs (suicide "
        "attack, sabotage with explosives): the response gets no credit for it breaking off.",
    )
