"""Candidate upgrades, generated from the site: each a small, named change to the site file.

A candidate knows what it changes (``apply`` edits the plain data of the site
file, so the upgraded site goes through the same loader and checks as any
file) and what it costs a year (``audit/data/upgrades.yaml``, or the
organisation's own prices). Only changes that can matter are proposed: a post
that is unstaffed at some hour, a wall with a cut topping, an element that no
watched camera or sensor covers, and so on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from audit.common.numbers import Range
from audit.site.threats import declared

TEAM_SIZES = (4, 8)
REDUNDANT_P_COMM = 0.99
"""P(C) of a redundant, supervised alarm path to the response force [assumed]."""
TEAM_RESPONSE_S = 90.0
"""An on-site reaction team's response time [assumed: as the reference sites' teams]."""
HARDENED_S = 300.0
"""Delay of a forced-entry-rated door, hatch or gate, kept locked [assumed: 5 min against hand
and power tools, the order of the ratings of the US State Department's SD-STD-01.01]."""
HARDEN_KINDS = ("door", "hatch", "window", "pedestrian_gate", "vehicle_gate")
GROW_BY = 4
"""Members added to an existing armed response team [assumed]."""
DEFAULT_WALL_M = 100.0
"""Length of a wall whose ``length_m`` is not recorded, for pricing its topping [assumed]."""


@dataclass(frozen=True)
class Candidate:
    """One upgrade: ``kind`` on ``target``, with its yearly cost."""

    kind: str
    target: str
    description: str
    cost: float
    size: int = 1
    values: tuple[tuple[str, Any], ...] = ()
    """Fields a rule's fix sets on the target (or, for a new light, on the light)."""

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.target}"

    def apply(self, data: dict[str, Any]) -> None:
        """Make the change on the plain data of a site file (in place)."""
        APPLY[self.kind](self, data)


def shipped_costs() -> dict[str, Any]:
    from audit.site.source import packaged_data

    return packaged_data("upgrades.yaml")


def yearly(costs: dict[str, Any], kind: str, units: float = 1.0) -> float:
    """Yearly cost of ``units`` of ``kind``: capital spread over its life, plus upkeep."""
    c = costs["costs"][kind]
    return round(units * (c["capital"] / c["life_years"] + c["yearly"]), 2)


MONEY = Range("currency units", 0, 1e12)
LIFE = Range("years", 0, 1000, low_open=True)
PER = ("metre", "guard", "member")
_FIELDS = {"capital": MONEY, "yearly": MONEY, "life_years": LIFE}
MAX_CURRENCY = 12
MAX_DESCRIPTION = 200


def load_costs(path: str | None) -> dict[str, Any]:
    """The unit costs: shipped, with those of the YAML file at ``path`` laid over them;
    ``SiteError`` at the line and column of anything a costs file cannot hold."""
    if path is None:
        return merge_costs(None)
    from audit.common.errors import SiteError
    from audit.site.source import read_document

    doc = read_document(path, max_bytes=1 << 20)
    if doc.problems:
        raise SiteError(doc.problems)
    try:
        return merge_costs(doc.data)
    except CostsError as exc:
        raise SiteError([doc.problem(exc.loc, exc.message, key=exc.key)]) from None


class CostsError(ValueError):
    """What is wrong in a costs file, and where (a path of keys into it)."""

    def __init__(self, loc: tuple[str, ...], message: str, *, key: bool = False) -> None:
        super().__init__(message)
        self.loc, self.message, self.key = loc, message, key


def merge_costs(own: dict[str, Any] | None) -> dict[str, Any]:
    """The shipped costs with an organisation's own figures laid over them (every field's
    type, range and unit checked; ``CostsError`` names the first that is wrong)."""
    from audit.common.errors import did_you_mean, excerpt

    base = copy.deepcopy(shipped_costs())
    own = own or {}
    if not isinstance(own, dict):
        raise CostsError((), "expected a mapping with costs: {kind: {capital, yearly, life_years}}")
    for key in sorted(set(own) - {"version", "currency", "costs"}):
        raise CostsError(
            (key,),
            f"unknown key {excerpt(key)}{did_you_mean(key, ['version', 'currency', 'costs'])}; "
            "a costs file has version, currency and costs: {kind: {capital, yearly, life_years}}",
            key=True,
        )
    if "version" in own and (isinstance(own["version"], bool) or own["version"] != 1):
        raise CostsError(("version",), f"expected version 1; got {excerpt(own['version'])}")
    if "currency" in own:
        base["currency"] = _text(own["currency"], ("currency",), MAX_CURRENCY, "currency")
    if not isinstance(own.get("costs") or {}, dict):
        raise CostsError(("costs",), "expected a mapping of upgrade kinds")
    for kind, values in (own.get("costs") or {}).items():
        if kind not in base["costs"]:
            raise CostsError(
                ("costs", kind),
                f"unknown upgrade kind {excerpt(kind)}{did_you_mean(kind, base['costs'])}; "
                f"expected one of {', '.join(sorted(base['costs']))}",
                key=True,
            )
        if not isinstance(values, dict):
            raise CostsError(
                ("costs", kind),
                f'upgrade "{kind}": expected a mapping of capital, yearly, life_years',
            )
        for field, value in values.items():
            _field(kind, field, value)
            base["costs"][kind][field] = value
    return base


def _field(kind: str, field: str, value: Any) -> None:
    from audit.common.errors import did_you_mean, excerpt

    loc = ("costs", kind, field)
    if field in _FIELDS:
        problem = _FIELDS[field].problem(value)
        if problem:
            raise CostsError(loc, f'upgrade "{kind}" {field}: {problem}')
    elif field == "description":
        _text(value, loc, MAX_DESCRIPTION, f'upgrade "{kind}" description')
    elif field == "per":
        if value not in PER:
            raise CostsError(
                loc, f'upgrade "{kind}" per: expected one of {", ".join(PER)}; got {excerpt(value)}'
            )
    else:
        known = [*_FIELDS, "description", "per"]
        raise CostsError(
            loc,
            f'upgrade "{kind}": unknown field {excerpt(field)}{did_you_mean(field, known)}; '
            f"expected {', '.join(known)}",
            key=True,
        )


def _text(value: Any, loc: tuple[str, ...], limit: int, label: str) -> str:
    """A one-line string of at most ``limit`` characters, with no control characters."""
    from audit.common.errors import excerpt

    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise CostsError(
            loc, f"{label}: expected text of 1 to {limit} characters; got {excerpt(value)}"
        )
    if any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in value):
        raise CostsError(loc, f"{label}: control characters are not allowed")
    return value


def generate(site: Any, costs: dict[str, Any]) -> list[Candidate]:
    """Every candidate upgrade of ``site``, in a stable order."""
    from audit.graph.coverage import ALL, Watch

    watch = Watch(site)
    armed = any(t.armed for t in declared(site))
    out: list[Candidate] = []
    for cp in site.checkpoints:
        guards = max((s.guards for s in cp.shifts or ()), default=1) or 1
        if watch.staffed(cp, 1, armed=armed) != ALL:
            kind = f"{'armed ' if armed else ''}guard{'s' if guards > 1 else ''}"
            what = f"staff {cp.id} around the clock ({guards} {kind})"
            out.append(Candidate("staff-post", cp.id, what, yearly(costs, "staff-post", guards)))
        if cp.radio is False:
            out.append(Candidate("radio", cp.id, f"give {cp.id} a radio", yearly(costs, "radio")))
    posts = {cp.at for cp in site.checkpoints}
    for g in site.gates:
        if g.locked is not True and g.kind in LOCKABLE and g.id not in posts:
            out.append(Candidate("lock", g.id, f"keep {g.id} locked", yearly(costs, "lock")))
        if g.kind == "vehicle_gate" and not g.vehicle_barrier and _public_side(site, g):
            out.append(
                Candidate(
                    "vehicle-barrier",
                    g.id,
                    f"fit a crash-rated barrier behind {g.id}",
                    yearly(costs, "vehicle-barrier"),
                )
            )
    for w in site.walls:
        if w.topping.kind == "none" or w.topping.condition != "intact":
            metres = w.length_m or DEFAULT_WALL_M
            kind = (w.topping.kind or "topping").replace("_", " ")  # None: not recorded
            what = f"repair the {kind} on {w.id}" if kind != "none" else f"add razor wire on {w.id}"
            out.append(Candidate("topping", w.id, what, yearly(costs, "topping", metres)))
    for el_id in _barriers(site):
        sensed = any(s.status == "working" for s in watch.covering(el_id, "sensors"))
        if not sensed:
            what = f"alarm {el_id} (a sensor, and a watched night camera to assess it)"
            out.append(Candidate("alarm", el_id, what, yearly(costs, "alarm")))
    for z in site.zones:
        if z.controlled_by == "own" and not _watched(site, watch, z.id):
            what = f"watch {z.id} with a night camera"
            out.append(Candidate("camera", z.id, what, yearly(costs, "camera")))
    for cam in site.cameras:
        if cam.status != "working":
            what = f"repair camera {cam.id}"
            out.append(Candidate("camera-repair", cam.id, what, yearly(costs, "camera-repair")))
    for light in site.lights:
        if light.backup_power is False:
            what = f"put {light.id} on a generator"
            out.append(Candidate("light-backup", light.id, what, yearly(costs, "light-backup")))
    for g in site.gates:
        if (
            g.kind in HARDEN_KINDS
            and g.locked is True
            and (g.delay_s is None or g.delay_s < HARDENED_S)
        ):
            kind = g.kind.replace("_", " ")
            what = f"replace {g.id} with a forced-entry-rated {kind} ({HARDENED_S:g} s)"
            out.append(Candidate("harden", g.id, what, yearly(costs, "harden")))
    for r in site.responders:
        if r.response_s > TEAM_RESPONSE_S:
            what = (
                f"station {r.id} on site, on standby "
                f"({TEAM_RESPONSE_S:g} s instead of {r.response_s:g} s)"
            )
            out.append(
                Candidate("responder-standby", r.id, what, yearly(costs, "responder-standby"))
            )
        if r.armed and r.size:
            what = f"grow {r.id} from {r.size} to {r.size + GROW_BY} armed members"
            cost = yearly(costs, "reaction-team", GROW_BY)
            out.append(Candidate("team-grow", r.id, what, cost, GROW_BY))
    if site.site.p_comm < REDUNDANT_P_COMM:
        what = (
            f"make the alarm path to the response force redundant and supervised "
            f"(p_comm {site.site.p_comm:g} to {REDUNDANT_P_COMM:g})"
        )
        out.append(Candidate("alarm-comms", site.site.id, what, yearly(costs, "alarm-comms")))
    for n in TEAM_SIZES:
        what = f"an armed on-site reaction team of {n} ({TEAM_RESPONSE_S:g} s)"
        cost = yearly(costs, "reaction-team", n)
        out.append(Candidate("reaction-team", f"team-{n}", what, cost, n))
    return out


LOCKABLE = ("door", "hatch", "window", "pedestrian_gate")


def _public_side(site: Any, gate: Any) -> bool:
    outside = site.get(gate.between[0])
    return outside is not None and outside.controlled_by != "own"


def _barriers(site: Any) -> list[str]:
    out = []
    for w in site.walls:
        out.append(w.id)
        out += [gap.id for gap in w.gaps]
    out += [g.id for g in site.gates if g.kind != "opening"]
    return out


def _watched(site: Any, watch: Any, el_id: str) -> bool:
    return any(
        c.status == "working" and (c.monitored or c.station)
        for c in watch.covering(el_id, "cameras")
    )


def _element(data: dict[str, Any], el_id: str) -> dict[str, Any]:
    for section in data.values():
        for el in section if isinstance(section, list) else []:
            if isinstance(el, dict) and el.get("id") == el_id:
                return el
    for wall in data.get("walls") or []:
        for gap in wall.get("gaps") or []:
            if gap.get("id") == el_id:
                return gap
    raise KeyError(el_id)


def _new_id(data: dict[str, Any], base: str) -> str:
    used = {el.get("id") for section in data.values() if isinstance(section, list)
            for el in section if isinstance(el, dict)}  # fmt: skip
    n, out = 1, base
    while out in used:
        n += 1
        out = f"{base}-{n}"
    return out


def _staff(c: Candidate, data: dict[str, Any]) -> None:
    cp = _element(data, c.target)
    guards = max((s.get("guards", 1) for s in cp.get("shifts") or []), default=1) or 1
    armed = "armed" in c.description
    cp["shifts"] = [{"from": "00:00", "to": "24:00", "guards": guards, "armed": armed}]


def _arm(c: Candidate, data: dict[str, Any]) -> None:
    for shift in _element(data, c.target).get("shifts") or []:
        shift["armed"] = True


def _camera(c: Candidate, data: dict[str, Any]) -> None:
    data.setdefault("cameras", []).append(
        {
            "id": _new_id(data, f"upgrade-camera-{c.target}"),
            "covers": [c.target],
            "monitored": True,
            "night": True,
            "recording": True,
            "backup_power": True,
        }
    )


def _alarm(c: Candidate, data: dict[str, Any]) -> None:
    is_gate = any(g.get("id") == c.target for g in data.get("gates") or [])
    data.setdefault("sensors", []).append(
        {
            "id": _new_id(data, f"upgrade-sensor-{c.target}"),
            "kind": "door_contact" if is_gate else "fence_vibration",
            "covers": [c.target],
            "backup_power": True,
            "tamper_alarm": True,
        }
    )
    _camera(c, data)


def _light(c: Candidate, data: dict[str, Any]) -> None:
    light = {
        "id": _new_id(data, f"upgrade-light-{c.target}"),
        "covers": [c.target],
        "backup_power": True,
        "backup_transfer_s": 10,
        "switch_locked": True,
    }
    light.update(dict(c.values))
    data.setdefault("lights", []).append(light)


def _gate(c: Candidate, data: dict[str, Any]) -> None:
    gate = _element(data, c.target)
    if gate.get("kind") == "opening":
        gate["kind"] = "pedestrian_gate"
    gate["locked"] = True
    gate.setdefault("lock", "card")


def _team(c: Candidate, data: dict[str, Any]) -> None:
    data.setdefault("responders", []).append(
        {
            "id": _new_id(data, f"upgrade-reaction-{c.target}"),
            "name": f"On-site reaction team of {c.size}",
            "response_s": TEAM_RESPONSE_S,
            "response_sd_s": 30.0,
            "size": c.size,
            "armed": True,
        }
    )


def _standby(c: Candidate, data: dict[str, Any]) -> None:
    r = _element(data, c.target)
    r["response_s"] = min(r["response_s"], TEAM_RESPONSE_S)
    r["response_sd_s"] = min(r.get("response_sd_s", 0.0), 30.0)


def _grow(c: Candidate, data: dict[str, Any]) -> None:
    r = _element(data, c.target)
    r["size"] = (r.get("size") or 1) + c.size


def _comms(c: Candidate, data: dict[str, Any]) -> None:
    data["site"]["p_comm"] = REDUNDANT_P_COMM


def _topping(c: Candidate, data: dict[str, Any]) -> None:
    """Repair keeps the kind that is there (barbed wire stays barbed wire, a kind not recorded
    stays unrecorded); a wall with none gets razor wire."""
    el = _element(data, c.target)
    top = el.get("topping")
    if not isinstance(top, dict) or top.get("kind") == "none":
        el["topping"] = {**(top if isinstance(top, dict) else {}), "kind": "razor_wire"}
    _set(c, data)


def _set(c: Candidate, data: dict[str, Any]) -> None:
    """Set fields of the target element: the kind's own change, then the rule's ``set``."""
    el = _element(data, c.target)
    for path, value in [*FIELDS[c.kind].items(), *c.values]:
        *parents, name = path.split(".")
        node = el
        for p in parents:
            if not isinstance(node.get(p), dict):
                node[p] = {}
            node = node[p]
        node[name] = list(value) if isinstance(value, tuple) else copy.deepcopy(value)


FIELDS: dict[str, dict[str, Any]] = {
    "radio": {"radio": True},
    "lock": {"locked": True},
    "vehicle-barrier": {"vehicle_barrier": True},
    "topping": {"topping.condition": "intact"},
    "camera-repair": {"status": "working"},
    "light-repair": {"status": "working"},
    "light-backup": {"backup_power": True},
    "backup-power": {"backup_power": True},
    "tamper": {"tamper_alarm": True},
    "switch": {"switch_locked": True},
    "vantage-control": {"controlled": True},
    "grille": {"grille": True},
    "camera-night": {"night": True},
    "camera-watch": {"motion_alarm": True},
    "clear-zone": {},
    "standoff": {"barrier": True},
    "raise-barrier": {"height_m": 2.4},
    "harden": {"delay_s": HARDENED_S},
    "fence-repair": {"bottom_gap_mm": 50},
}
"""Kinds that change fields of their target: what each sets (a rule's ``fix.set`` adds to it)."""


APPLY = {
    "alarm-comms": _comms,
    "staff-post": _staff,
    "armed-guard": _arm,
    "alarm": _alarm,
    "camera": _camera,
    "light": _light,
    "gate": _gate,
    "reaction-team": _team,
    "responder-standby": _standby,
    "team-grow": _grow,
    **dict.fromkeys(FIELDS, _set),
    "topping": _topping,
}
