"""The registry of named checks that checklist rules call.

A check is a plain function ``fn(ctx, params) -> Iterable[Hit]`` registered
under a name with a pydantic model for its parameters, so a checklist that
passes a wrong parameter fails at load time with file:line, never at run time.
One module per theme; importing this package registers them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from audit.site import schedule
from audit.site.unknowns import moot

if TYPE_CHECKING:
    import networkx as nx

    from audit.analysis.asset_paths import SiteAnalysis
    from audit.analysis.effectiveness import ThreatAnalysis
    from audit.analysis.elements import ElementValues
    from audit.analysis.paths import Analyzer
    from audit.graph.coverage import Watch
    from audit.site.model import Site


class Params(BaseModel):
    """Base of every check's parameters: unknown parameters are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


@dataclass(frozen=True)
class Hit:
    """One lapse a check found (or one missing fact): the element, what, and the evidence."""

    element: str
    message: str
    evidence: str = ""
    line: int | None = None
    column: int | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)
    gap: bool = False
    """A fact the rule needs was not recorded: a data gap to survey, never a lapse."""
    severity: str | None = None
    """A severity the check judged from the margin and the evidence (never above the rule's)."""


@dataclass
class Context:
    """What a check may look at: the site, its graph, who watches what, the hours judged."""

    site: Site
    at: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    findings: list = field(default_factory=list)
    active_rules: frozenset[str] = frozenset()
    known_rules: frozenset[str] = frozenset()
    pending: dict[str, Any] = field(default_factory=dict, repr=False)
    """Properties being computed in forked children (``prefetch``)."""

    def prefetch(self, names: Iterable[str], workers: int) -> None:
        """Start computing ``names`` (``analysis``, ``effectiveness``) in up to ``workers``
        forked processes while the caller goes on (``audit.common.background``)."""
        from audit.common import background

        if not background.available():
            return
        wanted = [n for n in dict.fromkeys(names) if n not in self.__dict__]
        if not self.site.threats:
            wanted = [n for n in wanted if n != "effectiveness"]  # nothing to compute
        wanted.sort(key=lambda n: n != "effectiveness")  # the rules' need first
        self.values  # noqa: B018 - computed once here, inherited by every child
        for name in wanted[:workers]:
            self.pending[name] = background.Pending(self, name)

    def _fetched(self, name: str, compute: Callable[[], Any]) -> Any:
        """What a child delivered for ``name``, else ``compute()`` here."""
        from audit.common.background import MISSING

        pending = self.pending.pop(name, None)
        done = MISSING if pending is None else pending.result()
        return compute() if done is MISSING else done

    @cached_property
    def judged(self) -> frozenset[int]:
        return frozenset(schedule.moment(self.at))

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The zones and the ways between them: ``audit.graph.access.build_graph``'s nodes and
        edges, added in the same order (so searches meet them in the same order), without
        the attributes it attaches, which no check reads (what covers a way is ``watch``'s):
        building those took a tenth of a typical site's check."""
        import networkx as nx

        from audit.graph.access import crossings

        g = nx.MultiDiGraph()
        g.add_nodes_from(zone.id for zone in self.site.zones)
        for u, v, el, _, _ in crossings(self.site):
            g.add_edge(u, v, key=el.id)
        return g

    @cached_property
    def watch(self) -> Watch:
        from audit.graph.coverage import Watch

        return Watch(self.site)

    @cached_property
    def worst(self) -> Watch:
        """``watch`` with every fact the file leaves out read at its worst: a check that fires
        on this reading only has found a fact to survey (``unknown_hit``), not a lapse."""
        from audit.graph.coverage import Watch

        return Watch(self.site, worst=True)

    @cached_property
    def values(self) -> ElementValues:
        """Delay and detection of every element (``audit.analysis.elements.ElementValues``)."""
        from audit.analysis.elements import ElementValues

        return ElementValues(self.site, self.watch)

    @cached_property
    def analyzer(self) -> Analyzer:
        """Search problems for the base adversary on ``values``, shared by the checks that
        search or walk beside the analysis (one set of networks per detection state)."""
        from audit.analysis.paths import Analyzer

        return Analyzer(self.site, values=self.values)

    @cached_property
    def analysis(self) -> SiteAnalysis:
        """Worst adversary path of every asset over the hours judged (computed once)."""
        from audit.analysis.paths import analyse

        return self._fetched("analysis", lambda: analyse(self.site, at=self.at, values=self.values))

    @cached_property
    def effectiveness(self) -> list[ThreatAnalysis]:
        """P(E) of every asset against every declared threat (``analysis.effectiveness``)."""
        from audit.analysis.effectiveness import assess

        if not self.site.threats:
            return []
        return self._fetched(
            "effectiveness", lambda: assess(self.site, at=self.at, values=self.values)
        )

    def when(self, slots: Iterable[int]) -> str:
        """Describe slots in words, restricted to the hours judged."""
        return schedule.windows(slots, self.judged)


def unknown_hit(element: str, facts: Iterable[tuple[Any, str]], question: str) -> Hit:
    """The data gap of a check that would fire only if facts the file leaves out were at
    their worst: ``facts`` as (element, field) pairs, and the question they leave open."""
    from audit.site.model import SECTION_OF, SINGULAR

    words = [
        f"{field.replace('_', ' ')} of {SINGULAR.get(SECTION_OF.get(type(el), ''), 'element')} "
        f'"{el.id}"'
        for el, field in facts
    ]
    listed = ", ".join(dict.fromkeys(words)) or "facts it needs"
    return Hit(element, f"the site file does not record the {listed}: {question}", gap=True)


def unrecorded_of(el: Any, *fields: str) -> list[tuple[Any, str]]:
    """(el, field) for each of ``fields`` that ``el`` leaves out (``shifts.armed``: any shift
    whose arms are not recorded)."""
    out = []
    for name in fields:
        head, _, rest = name.partition(".")
        value = getattr(el, head, None)
        if rest and isinstance(value, list):
            if any(getattr(item, rest, None) is None for item in value):
                out.append((el, f"{rest} on {head}"))
        elif hasattr(el, head) and value is None and not moot(el, head):
            out.append((el, head))
    return out


def caused_by(posts: Iterable[str]) -> dict[str, list[str]]:
    """``details`` naming the posts whose own finding is this one's cause (``group_by_cause``
    puts it under theirs); nothing when there are none."""
    ids = sorted(set(posts))
    return {"caused_by": ids} if ids else {}


def empty_posts(ctx: Context, element_id: str, blind: frozenset) -> list[str]:
    """The posts that watch ``element_id`` but stand empty at some of its ``blind`` hours:
    manning them would close the gap, so the post's own finding is the lapse and the
    element's goes with it (``details["caused_by"]``; one lapse, one finding)."""
    return sorted(
        {
            cp.id
            for kind in ("checkpoints", "posts")
            for cp in ctx.watch.covering(element_id, kind)
            if blind - ctx.watch.staffed(cp)
        }
    )


def watcher_facts(ctx: Context, element_id: str) -> list[tuple[Any, str]]:
    """The unrecorded facts of whoever watches ``element_id``: its posts' shifts, its cameras'
    watching and night view, and the shifts of the stations that watch them."""
    out: list[tuple[Any, str]] = []
    for section in ("checkpoints", "posts", "cameras"):
        for src in ctx.watch.covering(element_id, section):
            out += unrecorded_of(src, "shifts", "monitored", "night")
            station = ctx.site.get(getattr(src, "station", None) or "")
            if station is not None:
                out += unrecorded_of(station, "shifts")
    return out


@dataclass(frozen=True)
class Check:
    name: str
    fn: Callable[[Context, Any], Iterable[Hit]]
    params: type[Params]
    doc: str
    phase: str = "main"
    uses: tuple[str, ...] = ()
    """Heavy ``Context`` properties the check reads (computed beside the rules with --jobs)."""


REGISTRY: dict[str, Check] = {}


def check(
    name: str, params: type[Params] = Params, *, phase: str = "main", uses: tuple[str, ...] = ()
) -> Callable:
    """Register ``fn`` as the check ``name`` with parameter model ``params``."""

    def register(fn: Callable) -> Callable:
        REGISTRY[name] = Check(name, fn, params, (fn.__doc__ or "").strip(), phase, uses)
        return fn

    return register


def _load_all() -> None:
    from audit.checks import (  # noqa: F401
        access,
        attribute,
        cameras,
        interruption,
        perimeter,
        site,
        staffing,
        waivers,
    )


_load_all()
