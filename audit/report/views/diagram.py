"""The site diagram of the HTML report: an adversary sequence diagram, laid out.

Zones stand in layers by their distance (in crossings) from the public side; the layers
run in bands of ``PER_BAND`` across the page, to and fro, so a link from one band to the
next is short. Each wall, gap and gate is a curved link from the outer zone to the inner
one, coloured by how much of the week it is observed, and the worst path's labels are
placed first, at their own links.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from audit.site import schedule

if TYPE_CHECKING:
    from audit.rules.result import SiteResult
    from audit.site.model import Site
    from audit.site.perimeter import Gap, Gate, Wall, Zone

COL_W = 240
"""Distance between two layers of the diagram."""
PER_BAND = 4
"""Layers side by side before the diagram wraps to a band below (it fits a page's width)."""
BAND_GAP = 70
ROW_H = 80
BOX_W = 140
BOX_H = 34

Box = tuple[float, float, float, float]
"""Left, top, right, bottom."""
Links = dict[tuple[str, str], list[tuple["Wall | Gap | Gate", str]]]
"""(outer zone, inner zone) -> the elements crossed inwards between them, with their barrier."""


@dataclass
class Layout:
    width: int
    height: int
    zones: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    arrows: list[dict[str, Any]] = field(default_factory=list)
    """Which way 'inwards' runs in each band after the first (the bands run to and fro)."""


def observed_share(result: SiteResult, element_id: str) -> float:
    return len(result.watch.observed(element_id)) / schedule.WEEK


def layout(result: SiteResult, path: list[str]) -> Layout:
    """Zones in layers by distance from the public side; links for every wall, gap and gate.
    ``path`` is the worst path (its start, then element and zone ids in turn), or empty."""
    from audit.graph.access import crossings

    site = result.model
    assert site is not None  # a result that reaches a report has its model
    adj: dict[str, set[str]] = defaultdict(set)
    links: Links = defaultdict(list)
    for u, v, el, barrier, inward in crossings(site):
        adj[u].add(v)
        if inward:
            links[(u, v)].append((el, barrier))
    depth = _depths(site, adj)
    layers: dict[int, list[Zone]] = defaultdict(list)
    for z in site.zones:
        layers[depth[z.id]].append(z)
    bands = (max(layers) // PER_BAND) + 1
    band_top = _band_tops(layers, bands)
    pos = _positions(layers, adj, band_top)
    counts: dict[str, int] = defaultdict(int)
    for f in result.findings:
        if not f.waived:
            counts[f.element] += 1
    out = Layout(
        width=60 + min(max(layers) + 1, PER_BAND) * COL_W - (COL_W - BOX_W) + 40,
        height=int(band_top[-1] - BAND_GAP + 20),
    )
    placed: list[Box] = [(x - 2, y - 2, x + BOX_W + 2, y + BOX_H + 2) for x, y in pos.values()]
    out.zones = _zone_boxes(site, pos, counts, set(path[0::2]))
    out.links = _links(result, links, pos, depth, counts, set(path[1::2]))
    _place_labels(out.links, placed, path[1::2])
    out.height = max(out.height, int(max(b[3] for b in placed)) + 10)
    out.arrows = _arrows(bands, band_top)
    return out


def _depths(site: Site, adj: dict[str, set[str]]) -> dict[str, int]:
    """Each zone's distance in crossings from the public side (breadth first); zones it does
    not reach go in a layer after the deepest."""
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
    return depth


def _band_tops(layers: dict[int, list[Zone]], bands: int) -> list[float]:
    """Where each band of ``PER_BAND`` layers starts, top to bottom (and where the last
    ends): as tall as its fullest layer."""
    band_top = [40.0]
    for b in range(bands):
        tallest = max(
            (len(layers[d]) for d in range(b * PER_BAND, (b + 1) * PER_BAND) if d in layers),
            default=1,
        )
        band_top.append(band_top[-1] + tallest * ROW_H + BAND_GAP)
    return band_top


def _positions(
    layers: dict[int, list[Zone]], adj: dict[str, set[str]], band_top: list[float]
) -> dict[str, tuple[float, float]]:
    """The top left corner of each zone's box: each layer ordered by the mean row of its
    neighbours already placed (fewer crossings)."""
    pos: dict[str, tuple[float, float]] = {}
    rank: dict[str, float] = {}
    for d in sorted(layers):

        def key(z: Zone) -> tuple[float, str, int, str]:
            placed = [rank[n] for n in adj[z.id] if n in rank]
            return (sum(placed) / len(placed) if placed else 1e9, z.kind, z.level or 0, z.id)

        for i, z in enumerate(sorted(layers[d], key=key)):
            rank[z.id] = i
            pos[z.id] = (30 + _column(d) * COL_W, band_top[d // PER_BAND] + i * ROW_H)
    return pos


def _zone_boxes(
    site: Site,
    pos: dict[str, tuple[float, float]],
    counts: dict[str, int],
    path_zones: set[str],
) -> list[dict[str, Any]]:
    out = []
    for z in site.zones:
        x, y = pos[z.id]
        out.append(
            {
                "id": z.id,
                "name": z.name or z.id,
                "kind": z.kind,
                "x": x,
                "y": y,
                "w": BOX_W,
                "h": BOX_H,
                "lapses": counts[z.id],
                "on_path": z.id in path_zones,
            }
        )
    return out


def _links(
    result: SiteResult,
    links: Links,
    pos: dict[str, tuple[float, float]],
    depth: dict[str, int],
    counts: dict[str, int],
    path_edges: set[str],
) -> list[dict[str, Any]]:
    """One curve per element crossed inwards, fanned out where several join the same zones,
    its label's spot at the curve's middle (before labels make room for each other)."""
    out = []
    for (u, v), els in sorted(links.items()):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        same_column = x1 == x2 and depth[u] // PER_BAND == depth[v] // PER_BAND
        other_band = depth[u] // PER_BAND != depth[v] // PER_BAND
        if other_band:
            # down to the next band: from the bottom of one box to the top of the other
            ax, ay, bx, by = x1 + BOX_W / 2, y1 + BOX_H, x2 + BOX_W / 2, y2
            if y2 < y1:
                ay, by = y1, y2 + BOX_H
        elif same_column:
            ax, ay = x1 + BOX_W, y1 + BOX_H / 2
            bx, by = x2 + BOX_W, y2 + BOX_H / 2
        elif x2 > x1:
            ax, ay, bx, by = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
        else:
            ax, ay, bx, by = x1, y1 + BOX_H / 2, x2 + BOX_W, y2 + BOX_H / 2
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
            out.append(
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
    return out


def _place_labels(links: list[dict[str, Any]], placed: list[Box], path_edges: list[str]) -> None:
    """Labels of the worst path first, in its order, so each sits at its own edge; the
    others make room. Each label's box joins ``placed``."""
    order = {el: i for i, el in enumerate(path_edges)}
    for link in sorted(links, key=lambda lk: order.get(lk["id"], len(order))):
        lx, ly = _free_spot(placed, link["lx"], link["ly"], 5.6 * len(link["id"]) + 16)
        link["lx"], link["ly"] = round(lx), round(ly)


def _arrows(bands: int, band_top: list[float]) -> list[dict[str, Any]]:
    """Which way 'inwards' runs in each band after the first."""
    out = []
    for b in range(1, bands):
        right_to_left = b % 2 == 1
        out.append(
            {
                "x": 30 + (PER_BAND - 1) * COL_W + BOX_W if right_to_left else 30,
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
