"""A second site generator, written apart from ``generate.py`` (no code or shape in common).

``generate.py`` lays out one street grid of compounds with buildings stacked
floor over floor; every asset has a handful of routes. The path search was
tuned on those. This one makes the shapes that were not measured there:

- ``mesh``: a yard of cells, each joined to its 8 neighbours (fences and
  openings), detectors of every strength scattered, assets in the far row;
- ``braid``: three strands of rooms, each room opening into the next room of
  its own strand and of the strands beside it;
- ``chain``: a long corridor of detected doors, with undetected but slow
  bypasses (windows, ducts) that skip one door;
- ``layers``: layers 4 wide, every zone of a layer joined to every zone of
  the next (a complete bipartite graph between layers);
- ``campus``: a fenced campus of quads and buildings (corridors, rooms off
  them, connecting doors, stairs, ground-floor windows), posts on weekly rotas
  at the perimeter gates, doors locked by the hour, corridor cameras watched
  from a staffed station, sensors of varied p, declared threats (a forcing
  outsider and an insider with keys) and many assets (``assets_every``).

Every value a search cares about (p, delay, its sd) varies, and the seeds are
fixed, so runs compare.

    python bench/generate2.py mesh --zones 1000 -o mesh.yaml
"""

from __future__ import annotations

import argparse
import math
import random
from typing import Any

SHAPES = ("mesh", "braid", "chain", "layers", "campus")


class _Site:
    """A site under construction: sections as lists, ids checked unique."""

    def __init__(self, name: str, rnd: random.Random) -> None:
        self.rnd = rnd
        self.ids: set[str] = set()
        self.data: dict[str, Any] = {
            "site": {"id": name, "name": f"Second generator: {name}"},
            "zones": [],
            "walls": [],
            "gates": [],
            "checkpoints": [],
            "stations": [],
            "cameras": [],
            "sensors": [],
            "responders": [],
            "assets": [],
        }

    def add(self, section: str, **el: Any) -> str:
        assert el["id"] not in self.ids, el["id"]
        self.ids.add(el["id"])
        self.data[section].append(el)
        return el["id"]

    def zone(self, zid: str, kind: str, **more: Any) -> str:
        return self.add("zones", id=zid, kind=kind, **more)

    def fence(self, wid: str, a: str, b: str, **more: Any) -> str:
        height = self.rnd.choice([1.8, 2.2, 2.5, 3.0])
        return self.add("walls", id=wid, kind="fence", between=[a, b], height_m=height, **more)

    def gate(self, gid: str, kind: str, a: str, b: str, **more: Any) -> str:
        return self.add("gates", id=gid, kind=kind, between=[a, b], **more)

    def sensor(
        self, sid: str, kind: str, covers: list[str], lo: float, hi: float, **watch: Any
    ) -> str:
        """A sensor, and the camera that assesses its alarms (an alarm nobody assesses
        detects nothing): watched live, or from a station (``watch``), with a p of its own."""
        p = round(self.rnd.uniform(lo, hi), 2)
        self.camera(f"{sid}-cam", covers, 0.05, 0.3, **(watch or {"monitored": True}))
        return self.add("sensors", id=sid, kind=kind, covers=covers, p_detect=p)

    def camera(self, cid: str, covers: list[str], lo: float, hi: float, **more: Any) -> str:
        p = round(self.rnd.uniform(lo, hi), 2)
        return self.add("cameras", id=cid, covers=covers, p_detect=p, night=True, **more)

    def responder(self) -> None:
        rnd = self.rnd
        self.add(
            "responders",
            id="response-team",
            response_s=rnd.choice([120, 180, 240]),
            response_sd_s=rnd.choice([30, 45, 60]),
            size=rnd.choice([4, 6, 8]),
            armed=True,
        )

    def asset(self, aid: str, zone: str) -> str:
        rnd = self.rnd
        value = rnd.choice(["critical", "high", "medium"])
        task = rnd.choice([60, 120, 300])
        return self.add(
            "assets", id=aid, zone=zone, value=value, task_s=task, task_sd_s=round(task * 0.25)
        )


def mesh(zones: int, rnd: random.Random) -> dict[str, Any]:
    s = _Site(f"mesh-{zones}", rnd)
    side = max(3, round(math.sqrt(zones - 1)))
    s.zone("outside", "public", crossing_m=30)
    cell = [[f"cell-{r}-{c}" for c in range(side)] for r in range(side)]
    for r in range(side):
        for c in range(side):
            s.zone(cell[r][c], "compound", crossing_m=rnd.choice([10, 25, 40, 60]))
            if rnd.random() < 0.3:
                s.sensor(f"pir-{r}-{c}", "pir", [cell[r][c]], 0.1, 0.9)
    for c in range(side):
        s.fence(f"edge-{c}", "outside", cell[0][c])
        s.camera(f"edge-cam-{c}", [f"edge-{c}"], 0.3, 0.95, monitored=True)
    for r in range(side):
        for c in range(side):
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                r2, c2 = r + dr, c + dc
                if not (0 <= r2 < side and 0 <= c2 < side):
                    continue
                a, b = cell[r][c], cell[r2][c2]
                eid = f"x-{r}-{c}-{r2}-{c2}"
                if rnd.random() < 0.5:
                    s.fence(eid, a, b)
                else:
                    s.gate(eid, "opening", a, b)
                if rnd.random() < 0.6:
                    s.camera(f"{eid}-cam", [eid], 0.2, 0.95, monitored=True)
    for k, c in enumerate(sorted(rnd.sample(range(side), min(3, side)))):
        s.asset(f"stock-{k}", cell[side - 1][c])
    s.responder()
    return s.data


def braid(zones: int, rnd: random.Random) -> dict[str, Any]:
    s = _Site(f"braid-{zones}", rnd)
    strands, length = 3, max(2, (zones - 2) // 3)
    s.zone("forecourt", "approach", crossing_m=20)
    s.zone("strongroom", "room", building="works", level=0, crossing_m=6)
    room = [[f"r{i}-{j}" for j in range(length)] for i in range(strands)]
    for i in range(strands):
        for j in range(length):
            s.zone(room[i][j], "room", building="works", level=0, crossing_m=rnd.choice([5, 8, 12]))
            if rnd.random() < 0.2:
                s.sensor(f"{room[i][j]}-pir", "pir", [room[i][j]], 0.2, 0.8)
        s.gate(f"entry-{i}", "door", "forecourt", room[i][0], locked=True)
        s.gate(f"vault-{i}", "door", room[i][length - 1], "strongroom", locked=True)
        s.sensor(f"vault-{i}-contact", "door_contact", [f"vault-{i}"], 0.6, 0.95)
    for j in range(length - 1):
        for i in range(strands):
            for i2 in (i - 1, i, i + 1):
                if 0 <= i2 < strands:
                    gid = f"d{i}-{j}-{i2}"
                    s.gate(gid, "door", room[i][j], room[i2][j + 1], locked=rnd.random() < 0.5)
                    if rnd.random() < 0.3:
                        s.sensor(f"{gid}-contact", "door_contact", [gid], 0.3, 0.95)
    s.asset("strongroom-safe", "strongroom")
    s.responder()
    return s.data


def chain(zones: int, rnd: random.Random) -> dict[str, Any]:
    s = _Site(f"chain-{zones}", rnd)
    n = max(3, zones - 1)
    s.zone("dock", "public", crossing_m=15)
    bay = [f"bay-{i}" for i in range(n)]
    for b in bay:
        s.zone(b, "room", building="hangar", level=0, crossing_m=rnd.choice([6, 10, 15]))
    s.gate("bay-0-door", "door", "dock", bay[0], locked=True)
    s.sensor("bay-0-contact", "door_contact", ["bay-0-door"], 0.5, 0.95)
    for i in range(n - 1):
        gid = f"bay-{i + 1}-door"
        s.gate(gid, "door", bay[i], bay[i + 1], locked=rnd.random() < 0.7)
        s.sensor(f"{gid}-contact", "door_contact", [gid], 0.4, 0.95)
        if i + 2 < n and i % 3 == 0:
            # slow, undetected: a way round the next door
            kind = rnd.choice(["window", "hatch"])
            s.gate(f"bypass-{i}", kind, bay[i], bay[i + 2], delay_s=rnd.choice([90, 150, 240]))
    s.asset("hangar-middle", bay[n // 2])
    s.asset("hangar-end", bay[n - 1])
    s.responder()
    return s.data


def layers(zones: int, rnd: random.Random) -> dict[str, Any]:
    s = _Site(f"layers-{zones}", rnd)
    width, depth = 4, max(2, (zones - 2) // 4)
    s.zone("gatehouse", "approach", crossing_m=10)
    s.zone("core", "room", building="tower", crossing_m=5)
    layer = [[f"l{k}-{i}" for i in range(width)] for k in range(depth)]
    for k in range(depth):
        for i in range(width):
            s.zone(layer[k][i], "floor", building="tower", crossing_m=rnd.choice([8, 20]))
            if rnd.random() < 0.25:
                s.camera(f"{layer[k][i]}-cam", [layer[k][i]], 0.2, 0.9, monitored=True)
    for i in range(width):
        s.gate(f"in-{i}", "pedestrian_gate", "gatehouse", layer[0][i])
        s.gate(f"core-{i}", "door", layer[depth - 1][i], "core", locked=True)
    for k in range(depth - 1):
        for i in range(width):
            for i2 in range(width):
                gid = f"s{k}-{i}-{i2}"
                s.gate(gid, "stairs", layer[k][i], layer[k + 1][i2], one_way=True)
                if rnd.random() < 0.6:
                    s.sensor(f"{gid}-beam", "infrared_beam", [gid], 0.1, 0.95)
    s.asset("core-store", "core")
    s.responder()
    return s.data


ROTAS = [
    [{"from": "07:00", "to": "19:00", "guards": 2, "days": ["mon", "tue", "wed", "thu", "fri"]}],
    [
        {"from": "19:00", "to": "07:00", "guards": 1},
        {"from": "07:00", "to": "19:00", "guards": 1, "days": ["sat", "sun"]},
    ],
    [{"from": "00:00", "to": "24:00", "guards": 1, "armed": True}],
]
LOCKED_BY_NIGHT = [{"from": "19:00", "to": "07:00"}]
LOCKED_WEEKENDS = [{"from": "00:00", "to": "24:00", "days": ["sat", "sun"]}]


def campus(
    zones: int, rnd: random.Random, *, threats: bool = True, assets_every: int = 0
) -> dict[str, Any]:
    """About ``zones`` zones: quads in a ring inside a perimeter fence, a building per
    quad. ``assets_every``: an asset in every n-th room (0: one server room per building)."""
    s = _Site(f"campus-{zones}", rnd)
    s.zone("street", "public", crossing_m=25)
    s.zone("verge", "approach", crossing_m=8)
    s.fence("verge-line", "street", "verge")
    floors = 2 if zones < 100 else 4  # small sites: low buildings
    per_building = 2 + floors * 8  # a quad and its yard, a corridor and seven rooms a floor
    quads = max(1, round((zones - 2) / per_building))
    s.add("stations", id="control", **{"in": "quad-0-b-f0"}, shifts=ROTAS[2])
    rooms = 0
    for q in range(quads):
        quad = s.zone(f"quad-{q}", "compound", crossing_m=rnd.choice([40, 60, 90]))
        s.fence(f"perimeter-{q}", "verge", quad, topping={"kind": "razor_wire"})
        if rnd.random() < 0.5:
            s.sensor(f"perimeter-{q}-taut", "taut_wire", [f"perimeter-{q}"], 0.5, 0.95)
        if q % 3 == 0:
            g = s.gate(f"quad-{q}-gate", "vehicle_gate", "verge", quad, locked=LOCKED_BY_NIGHT)
            s.add("checkpoints", id=f"quad-{q}-post", at=g, shifts=rnd.choice(ROTAS), radio=True)
        if q > 0:
            s.gate(f"path-{q}", "pedestrian_gate", f"quad-{q - 1}", quad)
        b = f"quad-{q}-b"
        yard = s.zone(f"{b}-yard", "compound", crossing_m=10)
        s.gate(f"{b}-yard-gate", "pedestrian_gate", quad, yard, locked=LOCKED_WEEKENDS)
        below = None
        for f in range(floors):
            corridor = s.zone(f"{b}-f{f}", "floor", building=b, level=f, crossing_m=30)
            if f == 0:
                d = s.gate(f"{b}-entrance", "door", yard, corridor, locked=LOCKED_BY_NIGHT)
                s.sensor(f"{d}-contact", "door_contact", [d], 0.3, 0.9)
            else:
                s.gate(f"{b}-stairs-{f}", "stairs", below, corridor)
            s.camera(f"{corridor}-cam", [corridor], 0.3, 0.9, station="control")
            prev = None
            for k in range(7):
                room = s.zone(f"{b}-f{f}-r{k}", "room", building=b, level=f, crossing_m=6)
                rooms += 1
                door = s.gate(f"{room}-door", "door", corridor, room, locked=LOCKED_BY_NIGHT)
                if rnd.random() < 0.5:
                    s.sensor(f"{room}-pir", "pir", [room], 0.2, 0.9, station="control")
                if rnd.random() < 0.2:
                    s.sensor(f"{door}-contact", "door_contact", [door], 0.3, 0.9, station="control")
                if prev is not None and rnd.random() < 0.5:
                    s.gate(f"{room}-side", "door", prev, room, locked=rnd.random() < 0.5)
                if f == 0 and rnd.random() < 0.3:
                    s.gate(f"{room}-window", "window", yard, room)
                if assets_every and rooms % assets_every == 0:
                    s.asset(f"{room}-asset", room)
                prev = room
            below = corridor
        if not assets_every:
            s.asset(f"{b}-servers", f"{b}-f{floors - 1}-r3")
    if quads > 2:
        s.gate("ring", "pedestrian_gate", f"quad-{quads - 1}", "quad-0")
    s.responder()
    if threats:
        keys = [g["id"] for g in s.data["gates"] if g["id"].endswith("-entrance")][:3]
        s.data["threats"] = [
            "outsider-force",
            {"id": "cleaner", "based_on": "insider", "starts_in": ["quad-0"], "keys": keys},
        ]
    return s.data


def generate_site2(shape: str, zones: int, seed: int = 7, **options: Any) -> dict[str, Any]:
    """A site of ``shape`` (one of ``SHAPES``) with about ``zones`` zones."""
    rnd = random.Random(f"{shape}-{zones}-{seed}")
    make = {"mesh": mesh, "braid": braid, "chain": chain, "layers": layers, "campus": campus}
    data = make[shape](zones, rnd, **options)
    return {k: v for k, v in data.items() if v}


def main() -> None:
    import yaml

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shape", choices=SHAPES)
    ap.add_argument("--zones", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--assets-every", type=int, default=0, help="campus: an asset every n rooms")
    ap.add_argument("--no-threats", action="store_true", help="campus: declare no threat")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    options: dict[str, Any] = {}
    if args.shape == "campus":
        options = {"threats": not args.no_threats, "assets_every": args.assets_every}
    data = generate_site2(args.shape, args.zones, args.seed, **options)
    with open(args.output, "w", encoding="utf-8") as fh:
        yaml.safe_dump(data, fh, sort_keys=False)


if __name__ == "__main__":
    main()
