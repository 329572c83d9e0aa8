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

if TYPE_CHECKING:
    import networkx as nx

    from audit.analysis.effectiveness import ThreatAnalysis
    from audit.analysis.elements import ElementValues
    from audit.analysis.paths import SiteAnalysis
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
        from audit.graph.access import build_graph

        return build_graph(self.site)

    @cached_property
    def watch(self) -> Watch:
        from audit.graph.coverage import Watch

        return Watch(self.site)

    @cached_property
    def values(self) -> ElementValues:
        """Delay and detection of every element (``audit.analysis.elements.ElementValues``)."""
        from audit.analysis.elements import ElementValues

        return ElementValues(self.site, self.watch)

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
