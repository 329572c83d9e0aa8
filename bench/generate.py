"""Generate large, realistic site files for benchmarks and scale tests.

A site is a street grid of public roads; along it sit walled compounds, each
with a front wall and gate (staffed or not), a rear wall shared with the next
compound, and one to three buildings of several floors with a roof. Cameras,
lights, sensors and checkpoints are scattered with fixed probabilities, so the
rules and the path search meet the same mix of elements as in a real estate.

    python bench/generate.py --zones 10000 -o /tmp/big.yaml
"""

from __future__ import annotations

import argparse
import random
from typing import Any


def generate_site(
    zones: int, seed: int = 1, *, secure: bool = False, plan: bool = False, campus: bool = False
) -> dict[str, Any]:
    """A site dict with about ``zones`` zones (never fewer than one compound).

    ``secure`` adds what a well-run estate has: sensors on every wall, watched
    night cameras on every gate and door, locked doors and a responder on site,
    so that the most vulnerable path has a P(I) well above zero. ``plan`` lays
    the estate out on a plan: compounds 50 m wide and 60 m deep, eight to a
    road, with wall courses, gate points, building footprints, camera views
    and lamps (see ``_plan``). ``campus`` meshes it (``_campus``): many routes to each
    asset, as on a campus or a base, where the plain estate offers few.
    """
    rnd = random.Random(seed)
    site: dict[str, Any] = {
        "site": {"id": f"gen-{zones}", "name": f"Generated estate ({zones} zones)"},
        "zones": [],
        "walls": [],
        "gates": [],
        "checkpoints": [],
        "cameras": [],
        "lights": [],
        "sensors": [],
        "responders": [{"id": "qrf", "response_s": 300, "response_sd_s": 60}],
        "assets": [],
    }
    z, w, g = site["zones"], site["walls"], site["gates"]
    roads: list[str] = []
    c = 0
    prev_compound: str | None = None
    while len(z) < zones:
        if c % 8 == 0:
            road = f"road-{len(roads)}"
            roads.append(road)
            z.append({"id": road, "kind": "public", "crossing_m": 30})
        comp = f"c{c}"
        z.append({"id": comp, "kind": "compound", "crossing_m": rnd.choice([20, 40, 80])})
        w.append(
            {
                "id": f"{comp}-front",
                "between": [roads[-1], comp],
                "side": "front",
                "height_m": rnd.choice([1.8, 2.4, 3.0]),
                "topping": {
                    "kind": rnd.choice(["none", "barbed_wire", "razor_wire"]),
                    "condition": rnd.choice(["intact", "intact", "intact", "damaged", "cut"]),
                },
            }
        )
        g.append({"id": f"{comp}-gate", "kind": "vehicle_gate", "between": [roads[-1], comp]})
        if rnd.random() < 0.7:
            site["checkpoints"].append(
                {
                    "id": f"{comp}-post",
                    "at": f"{comp}-gate",
                    "shifts": [
                        {"from": "08:00", "to": rnd.choice(["18:00", "24:00"]), "guards": 1}
                    ],
                }
            )
        if prev_compound is not None:
            w.append(
                {
                    "id": f"{comp}-rear",
                    "between": [prev_compound, comp],
                    "side": "rear",
                    "height_m": 2.4,
                }
            )
        if rnd.random() < 0.6:
            site["cameras"].append(
                {
                    "id": f"{comp}-cam",
                    "covers": [f"{comp}-front", f"{comp}-gate"],
                    "monitored": rnd.random() < 0.5,
                    "night": rnd.random() < 0.5,
                }
            )
        site["lights"].append(
            {"id": f"{comp}-lights", "covers": [comp], "backup_power": rnd.random() < 0.5}
        )
        for b in range(rnd.randint(1, 3)):
            floors = rnd.randint(1, 5)
            below = comp
            for f in range(floors + 1):
                kind = "roof" if f == floors else "floor"
                zid = f"{comp}-b{b}-{'roof' if kind == 'roof' else f'f{f}'}"
                z.append({"id": zid, "kind": kind, "building": f"{comp}-b{b}", "level": f})
                gkind = "door" if f == 0 else ("hatch" if kind == "roof" else "stairs")
                g.append(
                    {
                        "id": f"{zid}-in",
                        "kind": gkind,
                        "between": [below, zid],
                        "locked": gkind != "stairs" and rnd.random() < 0.5,
                    }
                )
                if gkind == "door" and rnd.random() < 0.3:
                    site["sensors"].append(
                        {"id": f"{zid}-contact", "kind": "door_contact", "covers": [f"{zid}-in"]}
                    )
                below = zid
            if rnd.random() < 0.3:
                site["assets"].append(
                    {"id": f"{comp}-b{b}-asset", "zone": f"{comp}-b{b}-f{floors - 1}", "task_s": 60}
                )
        prev_compound = comp
        c += 1
    if campus:
        _campus(site, rnd)
    if secure:
        _secure(site)
    if plan:
        _plan(site, rnd)
    return site


def _plan(site: dict[str, Any], rnd: random.Random) -> None:
    """Place every compound on the plan: compound ``c`` at x = 60 (c mod 8), its road's
    frontage at y = 100 (c div 8) + 60; a camera with a view on each compound gate (and each
    camera of the estate at its gate), a lamp over each compound, buildings 10 x 15 m."""
    origin: dict[str, tuple[float, float]] = {}
    for z in (x for x in site["zones"] if x["kind"] == "compound"):
        n = int(z["id"][1:])
        x0, y0 = 60.0 * (n % 8), 100.0 * (n // 8)
        origin[z["id"]] = (x0, y0)
        z["outline"] = [[x0, y0], [x0 + 50, y0], [x0 + 50, y0 + 60], [x0, y0 + 60]]
    for w in site["walls"]:
        x0, y0 = origin[w["between"][1]]
        if w["side"] == "front":
            w["course"] = [[x0, y0 + 60], [x0 + 50, y0 + 60]]
            w["length_m"] = 50
        else:
            w["course"] = [[x0, y0], [x0, y0 + 60]]
            w["length_m"] = 60
    site.setdefault("buildings", [])
    for z in site["zones"]:
        if z["kind"] == "roof" and z.get("building"):
            comp, b = z["building"].rsplit("-b", 1)
            x0, y0 = origin[comp]
            bx = x0 + 3 + 16 * int(b)
            site["buildings"].append(
                {
                    "id": z["building"],
                    "footprint": [
                        [bx, y0 + 8],
                        [bx + 12, y0 + 8],
                        [bx + 12, y0 + 30],
                        [bx, y0 + 30],
                    ],
                    "height_m": 3.5 * z["level"],
                }
            )
    for g in site["gates"]:
        if g["kind"] == "vehicle_gate":
            x0, y0 = origin[g["between"][1]]
            g["point"] = [x0 + 25, y0 + 60]
    for cam in site["cameras"]:
        comp = cam["id"].split("-")[0]
        if comp in origin:
            x0, y0 = origin[comp]
            cam["view"] = {
                "at": [x0 + 25 + rnd.uniform(-10, 10), y0 + 45],
                "heading_deg": rnd.choice([0, 10, 350]),
                "fov_deg": rnd.choice([60, 90, 110]),
                "resolution_px": rnd.choice([1280, 1920, 2560]),
            }
    for light in site["lights"]:
        x0, y0 = origin[light["covers"][0]]
        light["lamp"] = {"at": [x0 + 25, y0 + 55], "height_m": 6, "candela": 2500}


def _campus(site: dict[str, Any], rnd: random.Random) -> None:
    """Compounds back to back across each block share a side wall (a grid, not a chain),
    buildings of a compound are joined on every floor by corridors, and some floors have a
    hallway camera: the adversary has many routes, and the search many labels."""
    comps = [z["id"] for z in site["zones"] if z["kind"] == "compound"]
    for a, b in zip(comps, comps[8:], strict=False):
        wall = {"id": f"{a}-side", "between": [a, b], "side": "left", "height_m": 2.4}
        site["walls"].append(wall)
    floors: dict[tuple[str, int], list[str]] = {}
    for z in site["zones"]:
        if z["kind"] == "floor":
            floors.setdefault((z["building"].rsplit("-", 1)[0], z["level"]), []).append(z["id"])
    for zs in floors.values():
        for a, b in zip(zs, zs[1:], strict=False):
            gid = f"{a}-to-{b.rsplit('-', 2)[1]}"
            site["gates"].append(
                {"id": gid, "kind": "door", "between": [a, b], "locked": rnd.random() < 0.5}
            )
    for z in site["zones"]:
        if z["kind"] == "floor" and rnd.random() < 0.4:
            site["cameras"].append(
                {"id": f"{z['id']}-hall-cam", "covers": [z["id"]], "monitored": True, "night": True}
            )


def _secure(site: dict[str, Any]) -> None:
    site["responders"] = [{"id": "qrf", "response_s": 90, "response_sd_s": 30}]
    for w in site["walls"]:
        site["sensors"].append(
            {"id": f"{w['id']}-vib", "kind": "fence_vibration", "covers": [w["id"]]}
        )
    for g in site["gates"]:
        if g["kind"] in ("door", "hatch"):
            g["locked"] = True
        site["cameras"].append(
            {"id": f"{g['id']}-cam", "covers": [g["id"]], "monitored": True, "night": True}
        )


def main() -> None:
    import yaml

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zones", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--secure", action="store_true", help="Sensors, watched cameras, QRF.")
    ap.add_argument("--plan", action="store_true", help="Lay the estate out on a plan.")
    ap.add_argument("--campus", action="store_true", help="Mesh it: side walls, corridors.")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    with open(args.output, "w", encoding="utf-8") as fh:
        yaml.safe_dump(
            generate_site(
                args.zones, args.seed, secure=args.secure, plan=args.plan, campus=args.campus
            ),
            fh,
            sort_keys=False,
        )


if __name__ == "__main__":
    main()
