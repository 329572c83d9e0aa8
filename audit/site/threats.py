"""Design-basis threats: the shipped set (``audit/data/threats.yaml``) and what a site declares.

A site names the threats it is built against (``threats:``); each entry is a
shipped id, or a threat of its own (``based_on`` a shipped one, with any value
changed). Rules that depend on the threat (whether posts must be armed) read
the declared threats here; with none declared they cannot judge, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from audit.site.model import Site
    from audit.site.settings import Threat as ThreatEntry

FIELDS = ("team", "armed", "tools", "explosives", "tactic")


@dataclass(frozen=True)
class Threat:
    id: str
    description: str
    team: int
    armed: bool
    tools: str
    explosives: bool
    tactic: str
    source: str
    p_deceit: float = 0.0
    range_m: float = 0.0
    starts_in: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    determined: bool = False
    """Fights to the last and means to complete the act whatever it costs (a suicide attack,
    sabotage with explosives): no break-off is credited (``engagement.break_off``)."""

    @property
    def kind(self) -> str:
        """What kind of adversary path it takes: insider, vehicle, standoff or outsider."""
        if self.starts_in or self.keys or self.tactic == "deceit":
            return "insider"
        if self.tools == "vehicle":
            return "vehicle"
        if self.range_m > 0:
            return "standoff"
        return "outsider"


def _data() -> dict[str, Any]:
    from audit.site.source import packaged_data

    return packaged_data("threats.yaml")


def shipped() -> dict[str, Threat]:
    """The shipped design-basis threats, by id."""
    return {tid: Threat(tid, **values) for tid, values in _data()["threats"].items()}


def engagement() -> dict[str, Any]:
    """The engagement model behind P(N) (``engagement:`` in the threats file)."""
    return _data()["engagement"]


def tactics() -> dict[str, Any]:
    """How tactics and tools change element values, and the engagement model (``tactics:``)."""
    return _data()["tactics"]


def declared(site: Site) -> list[Threat]:
    """The threats ``site`` declares, shipped values overridden by the site's own."""
    base = shipped()
    out = []
    for entry in site.threats:
        if isinstance(entry, str):
            out.append(base[entry])
        else:
            out.append(_own(entry, base.get(entry.based_on or entry.id)))
    return out


def _own(entry: ThreatEntry, start: Threat | None) -> Threat:
    """A threat of the site's own: its values, and those of the shipped ``start`` (if any)
    where it gives none."""
    team = _pick(entry.team, start.team if start else None)
    armed = _pick(entry.armed, start.armed if start else None)
    tools = _pick(entry.tools, start.tools if start else None)
    explosives = _pick(entry.explosives, start.explosives if start else None)
    tactic = _pick(entry.tactic, start.tactic if start else None)
    if team is None or armed is None or tools is None or explosives is None or tactic is None:
        given = (team, armed, tools, explosives, tactic)
        missing = [f for f, v in zip(FIELDS, given, strict=True) if v is None]
        raise ValueError(f"threat {entry.id} does not give {', '.join(missing)}")
    determined = entry.determined
    if determined is None:
        determined = start.determined if start else False
    return Threat(
        entry.id,
        entry.description or (start.description if start else ""),
        team=team,
        armed=armed,
        tools=tools,
        explosives=explosives,
        tactic=tactic,
        source="the site file" + (f", based on {start.id}" if start else ""),
        p_deceit=_pick(entry.p_deceit, start.p_deceit if start else None) or 0.0,
        range_m=_pick(entry.range_m, start.range_m if start else None) or 0.0,
        starts_in=tuple(entry.starts_in),
        keys=tuple(entry.keys),
        determined=determined,
    )


_T = TypeVar("_T")


def _pick(own: _T | None, shipped: _T | None) -> _T | None:
    """The site's value where it gives one, else the shipped one."""
    return own if own is not None else shipped


def find(site: Site, threat_id: str) -> Threat:
    """The declared threat ``threat_id``; ValueError (with a "did you mean") when there is none."""
    from audit.common.errors import did_you_mean

    threats = declared(site)
    known = [t.id for t in threats]
    for t in threats:
        if t.id == threat_id:
            return t
    raise ValueError(
        f"the site declares no threat {threat_id!r}{did_you_mean(threat_id, known)}"
        + (f"; it declares {', '.join(known)}" if known else "; it declares none")
    )
