"""What the administrator's reports (HTML, Markdown) show, computed once for both.

Counts by severity, worst P(I) per asset and its hour, the three fixes that
matter most, checkpoint staffing by time of day, and the layered layout of
the site diagram (an adversary sequence diagram: zones in layers from the
public side inwards).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from audit.findings import RANK, SEVERITIES
from audit.report.views.site_plan import site_plan
from audit.site import schedule


@dataclass
class Staffing:
    checkpoint: str
    label: str
    at: str
    days_manned: list[int]
    """For each of the 96 times of day, on how many days of the week someone is on shift."""
    unmanned: str


@dataclass
class Fix:
    rule: str
    title: str
    severity: str
    element: str
    where: str
    remediation: str


@dataclass
class Layout:
    width: int
    height: int
    zones: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    arrows: list[dict[str, Any]] = field(default_factory=list)
    """Which way 'inwards' runs in each band after the first (the bands run to and fro)."""


@dataclass
class Story:
    """The worst asset as every part of a report tells it: the summary, the diagram, the plan
    and its SA-EASI-001 finding give the same path and figures, and say which threat (or
    none) they are for. Against declared threats it is the lowest P(E) (the finding's
    figures); with none, the lowest P(I) on the base delays."""

    asset: str
    name: str
    start: str
    route: str
    steps: list[str]
    """Ids on the path after ``start``, in order."""
    measure: str
    """``P(E)`` against a declared threat, ``P(I)`` with none."""
    value: float
    goal: float
    threat: str | None
    at: str
    window: str
    reasons: list[str]
    p_interruption: float
    p_neutralization: float | None = None

    @property
    def against(self) -> str:
        return f"against {self.threat}" if self.threat else "no threat declared (base delays)"


def story(result: Any) -> Story | None:
    """The worst asset's story (see ``Story``), or None when the site has no asset."""
    ranked = sorted(
        (a.p_effectiveness, a.asset, t.threat, a)
        for t in result.effectiveness
        for a in t.assets
        if a.exposed and a.paths is not None
    )
    if result.model.threats and ranked:
        _, _, threat, a = ranked[0]
        p = a.paths
        rests = [f"rests on defaults: {', '.join(a.defaulted[:6])}"] if a.defaulted else []
        return Story(
            a.asset, p.name, p.start, p.route, [s.element for s in p.path], "P(E)",
            a.p_effectiveness, a.goal, threat, a.at, a.window, [*a.reasons, *rests],
            a.p_interruption, a.p_neutralization,
        )  # fmt: skip
    analysis = result.analysis
    w = min(analysis.assets, key=lambda a: (a.p_interruption, a.asset), default=None)
    if w is None:
        return None
    return Story(
        w.asset, w.name, w.start, w.route, [s.element for s in w.path], "P(I)",
        w.p_interruption, result.model.site.goal_p_interruption, None, w.at, w.worst_window,
        list(w.reasons), w.p_interruption,
    )  # fmt: skip


@dataclass
class Summary:
    result: Any
    counts: dict[str, int]
    waived: list[Any]
    active: list[Any]
    gaps: list[Any]
    """Facts to survey: what the rules needed and the site file does not record."""
    worst: Story | None
    fixes: list[Fix]
    staffing: list[Staffing]
    layout: Layout
    surveyed: str | None
    drawing: Any = None
    """The site to scale (``site_plan.SitePlan``) when the file has geometry."""


def summarize_site(result: Any) -> Summary:
    site = result.model
    analysis = result.analysis
    active = [f for f in result.findings if not f.waived and not f.gap]
    gaps = [f for f in result.findings if not f.waived and f.gap]
    waived = [f for f in result.findings if f.waived]
    counts = {s: sum(1 for f in active if f.severity == s) for s in SEVERITIES}
    worst = story(result)
    on_path = {s.element for a in analysis.assets for s in a.path} | {
        a.asset for a in analysis.assets
    }
    return Summary(
        result=result,
        counts=counts,
        waived=waived,
        active=active,
        gaps=gaps,
        worst=worst,
        fixes=top_fixes(active, on_path),
        staffing=staffing(result),
        layout=layout(result, worst),
        surveyed=site.site.surveyed.isoformat() if site.site.surveyed else None,
        drawing=site_plan(result, set(worst.steps) if worst else set()),
    )


def top_fixes(active: list[Any], on_path: set[str], n: int = 3) -> list[Fix]:
    """Worst first, lapses on a most vulnerable path before others; one per rule."""
    ranked = sorted(active, key=lambda f: (RANK[f.severity], f.element not in on_path, f.line))
    out: list[Fix] = []
    seen: set[str] = set()
    for f in ranked:
        if f.rule in seen:
            continue
        seen.add(f.rule)
        out.append(
            Fix(
                f.rule,
                f.title,
                f.severity,
                f.element,
                f"{f.file}:{f.line}",
                " ".join(f.remediation.split()),
            )
        )
        if len(out) == n:
            break
    return out


def staffing(result: Any) -> list[Staffing]:
    watch = result.watch
    rows = []
    for cp in result.model.checkpoints:
        manned = watch.staffed(cp)
        days = [
            sum(1 for d in range(7) if d * schedule.PER_DAY + t in manned)
            for t in range(schedule.PER_DAY)
        ]
        unmanned = frozenset(range(schedule.WEEK)) - manned
        rows.append(Staffing(cp.id, cp.label, cp.at, days, schedule.windows(unmanned)))
    return rows


def observed_share(result: Any, element_id: str) -> float:
    return len(result.watch.observed(element_id)) / schedule.WEEK


def layout(result: Any, worst: Story | None) -> Layout:
    """Zones in layers by distance from the public side; links for every wall, gap and gate."""
    from audit.graph.access import crossings

    site = result.model
    adj: dict[str, set[str]] = defaultdict(set)
    links: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for u, v, el, barrier, inward in crossings(site):
        adj[u].add(v)
        if inward:
            links[(u, v)].append((el, barrier))
    depth: dict[str, int] = {}
    queue: deque[str] = deque()
    for z in site.zones:
        if z.kind in ("public", "external_building"):
            depth[z.id] = 0
            queue.append(z.id)
    while queue:
        u = queue.popleft()
        for v in sorted(adj[u]):
            if v not in depth:
                depth[v] = depth[u] + 1
                queue.append(v)
    deepest = max(depth.values(), default=0)
    for z in site.zones:
        depth.setdefault(z.id, deepest + 1)
    layers: dict[int, list[Any]] = defaultdict(list)
    for z in site.zones:
        layers[depth[z.id]].append(z)
    col_w, row_h, box_w, box_h = COL_W, 80, 140, 34
    # layers run in bands of PER_BAND, bands top to bottom (the page's width), to and fro: the
    # second band runs right to left, so a link from one band down to the next is short
    bands = (max(layers) // PER_BAND) + 1
    band_top = [40.0]
    for b in range(bands):
        tallest = max(
            (len(layers[d]) for d in range(b * PER_BAND, (b + 1) * PER_BAND) if d in layers),
            default=1,
        )
        band_top.append(band_top[-1] + tallest * row_h + BAND_GAP)
    pos: dict[str, tuple[float, float]] = {}
    rank: dict[str, float] = {}
    for d in sorted(layers):
        # order each layer by the mean row of its neighbours already placed (fewer crossings)
        def key(z: Any) -> tuple:
            placed = [rank[n] for n in adj[z.id] if n in rank]
            return (sum(placed) / len(placed) if placed else 1e9, z.kind, z.level or 0, z.id)

        for i, z in enumerate(sorted(layers[d], key=key)):
            rank[z.id] = i
            pos[z.id] = (30 + _column(d) * col_w, band_top[d // PER_BAND] + i * row_h)
    counts: dict[str, int] = defaultdict(int)
    for f in result.findings:
        if not f.waived:
            counts[f.element] += 1
    path_edges, path_zones = set(), set()
    if worst is not None and worst.steps:
        ids = [worst.start, *worst.steps]
        path_zones = set(ids[0::2])
        path_edges = set(ids[1::2])
    out = Layout(
        width=60 + min(max(layers) + 1, PER_BAND) * col_w - (col_w - box_w) + 40,
        height=int(band_top[-1] - BAND_GAP + 20),
    )
    placed: list[tuple[float, float, float, float]] = [
        (x - 2, y - 2, x + box_w + 2, y + box_h + 2) for x, y in pos.values()
    ]
    for z in site.zones:
        x, y = pos[z.id]
        out.zones.append(
            {
                "id": z.id,
                "name": z.name or z.id,
                "kind": z.kind,
                "x": x,
                "y": y,
                "w": box_w,
                "h": box_h,
                "lapses": counts[z.id],
                "on_path": z.id in path_zones,
            }
        )
    for (u, v), els in sorted(links.items()):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        same_column = x1 == x2 and depth[u] // PER_BAND == depth[v] // PER_BAND
        other_band = depth[u] // PER_BAND != depth[v] // PER_BAND
        if other_band:
            # down to the next band: from the bottom of one box to the top of the other
            ax, ay, bx, by = x1 + box_w / 2, y1 + box_h, x2 + box_w / 2, y2
            if y2 < y1:
                ay, by = y1, y2 + box_h
        elif same_column:
            ax, ay = x1 + box_w, y1 + box_h / 2
            bx, by = x2 + box_w, y2 + box_h / 2
        elif x2 > x1:
            ax, ay, bx, by = x1 + box_w, y1 + box_h / 2, x2, y2 + box_h / 2
        else:
            ax, ay, bx, by = x1, y1 + box_h / 2, x2 + box_w, y2 + box_h / 2
        for k, (el, barrier) in enumerate(els):
            bend = (k - (len(els) - 1) / 2) * 26
            if other_band:
                cx, cy = (ax + bx) / 2 + 2 * bend, (ay + by) / 2
            elif same_column:
                cx, cy = ax + 45 + abs(by - ay) * 0.25 + k * 26, (ay + by) / 2
            else:
                cx, cy = (ax + bx) / 2, (ay + by) / 2 + 2 * bend
            lx, ly = 0.25 * ax + 0.5 * cx + 0.25 * bx, 0.25 * ay + 0.5 * cy + 0.25 * by
            share = observed_share(result, el.id)
            colour = "#2e7d32" if share >= 0.999 else "#c62828" if share == 0 else "#ef8f00"
            out.links.append(
                {
                    "id": el.id,
                    "kind": el.kind,
                    "barrier": barrier,
                    "d": f"M{ax:.0f},{ay:.0f} Q{cx:.0f},{cy:.0f} {bx:.0f},{by:.0f}",
                    "lx": lx,
                    "ly": ly,
                    "colour": colour,
                    "dash": barrier in ("wall", "fence", "gap"),
                    "lapses": counts[el.id],
                    "on_path": el.id in path_edges,
                    "observed": round(share * 100),
                }
            )
    # labels of the worst path first, in its order, so each sits at its own edge; the others
    # make room
    order = {el: i for i, el in enumerate(ids[1::2])} if worst is not None and worst.steps else {}
    for link in sorted(out.links, key=lambda lk: order.get(lk["id"], len(order))):
        lx, ly = _free_spot(placed, link["lx"], link["ly"], 5.6 * len(link["id"]) + 16)
        link["lx"], link["ly"] = round(lx), round(ly)
    out.height = max(out.height, int(max(b[3] for b in placed)) + 10)
    for b in range(1, bands):
        right_to_left = b % 2 == 1
        out.arrows.append(
            {
                "x": 30 + (PER_BAND - 1) * col_w + box_w if right_to_left else 30,
                "y": band_top[b] - 10,
                "text": "\u2190 inwards" if right_to_left else "inwards \u2192",
                "anchor": "end" if right_to_left else "start",
            }
        )
    return out


def _column(depth: int) -> int:
    """The column of a layer: left to right in even bands, right to left in odd ones."""
    col = depth % PER_BAND
    return PER_BAND - 1 - col if (depth // PER_BAND) % 2 else col


COL_W = 240
"""Distance between two layers of the diagram."""
PER_BAND = 4
"""Layers side by side before the diagram wraps to a band below (it fits a page's width)."""
BAND_GAP = 70


def _free_spot(
    placed: list[tuple[float, float, float, float]], x: float, y: float, width: float
) -> tuple[float, float]:
    """Move a link label down, then up, until its box overlaps no zone box and no label
    placed before it (the label's text sits on ``y - 4``, 10 px high, plus its badge)."""

    def box(cx: float, cy: float) -> tuple[float, float, float, float]:
        return (cx - width / 2, cy - 16, cx + width / 2, cy + 13)

    def clear(cx: float, cy: float) -> bool:
        a = box(cx, cy)
        inside = a[1] >= 20 and a[0] >= 0
        return inside and all(
            a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1] for b in placed
        )

    steps = [0.0] + [s * k * 22.0 for k in range(1, 15) for s in (1, -1)]
    shifts = (0.0, 36.0, -36.0, 72.0, -72.0)
    for dy in steps:
        spot = next(((x + dx, y + dy) for dx in shifts if clear(x + dx, y + dy)), None)
        if spot is not None:
            x, y = spot
            break
    placed.append(box(x, y))
    return x, y


def hourly(profile: list[dict[str, Any]], key: str = "p_interruption") -> list[float]:
    """Worst P(I) (or ``key``) of each hour from a 96-slot profile."""
    return [min(p[key] for p in profile[h * 4 : h * 4 + 4]) for h in range(len(profile) // 4)]
