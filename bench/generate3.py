#!/usr/bin/env python3
"""Independent generator of "typical" siteaudit site files.

Usage: python gen.py OUTDIR N --seed S

Writes OUTDIR/site-00000.yaml ... OUTDIR/site-{N-1:05d}.yaml.  Each site is a
facility of one of several kinds (office compound, depot, campus, police
station, hospital wing, utility plant, school), 20-60 zones, with perimeter
walls, gates, buildings of floors/rooms/roofs, posts on weekly rotas, timed
locks, cameras, sensors, lights, responders and 1-6 assets.  Every other site
(even index) declares one or two threats.  Facts are left unrecorded at
random, as in real files.

Written from the README, the JSON schema and the example sites only.
Python 3.11, stdlib + PyYAML.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import re
import sys

import yaml

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS = DAYS[:5]
WEEKEND = DAYS[5:]

KINDS = ["office", "depot", "campus", "police", "hospital", "utility", "school"]
KIND_WEIGHTS = [20, 15, 17, 13, 13, 10, 12]

STREET_NAMES = [
    "High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "King Street",
    "Queen's Road", "Canal Walk", "Victoria Road", "Market Street", "Bridge Street", "North Road",
    "Industrial Estate Road", "Ring Road", "Harbour Way", "Airport Road", "Old Town Lane",
    "Service Lane", "Bypass", "River Path", "Green Lane", "Factory Road", "Depot Road",
]
TOWNS = ["Northfield", "Easton", "Westbury", "Southam", "Ashford", "Millbrook", "Riverton",
         "Kingsport", "Lakeside", "Hillcrest", "Stonebridge", "Fairview", "Oakdale", "Redcliffe"]
TIMEZONES = ["UTC", "Europe/London", "Europe/Paris", "Asia/Karachi", "Africa/Nairobi",
             "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"]


def hm(h: float) -> str:
    """Clock time from hours (may be fractional, quarter hours)."""
    total = int(round(h * 4)) * 15
    total %= 24 * 60
    return f"{total // 60:02d}:{total % 60:02d}"


def clean(d: dict) -> dict:
    """Drop keys whose value is None (an unrecorded fact is left out)."""
    return {k: v for k, v in d.items() if v is not None}


class Site:
    def __init__(self, rng: random.Random, index: int, kind: str):
        self.rng = rng
        self.index = index
        self.kind = kind
        self.ids: set[str] = set()
        self.info: dict = {}
        self.zones: list[dict] = []
        self.walls: list[dict] = []
        self.gates: list[dict] = []
        self.checkpoints: list[dict] = []
        self.patrols: list[dict] = []
        self.stations: list[dict] = []
        self.cameras: list[dict] = []
        self.sensors: list[dict] = []
        self.lights: list[dict] = []
        self.alarm_routes: list[dict] = []
        self.vantage_points: list[dict] = []
        self.vehicle_approaches: list[dict] = []
        self.responders: list[dict] | None = []
        self.assets: list[dict] = []
        self.threats: list = []
        self.waivers: list[dict] = []
        # bookkeeping
        self.zone_by_id: dict[str, dict] = {}
        self.outside: list[str] = []        # public / approach / neighbours around the site
        self.streets: list[str] = []        # public zones
        self.compounds: list[str] = []      # own open areas
        self.perimeter_walls: list[str] = []
        self.perimeter_gates: list[str] = []
        self.buildings: list[dict] = []     # {name, floors:[ids], rooms:[(id, floor, door)], roof, doors:[]}
        self.special_rooms: dict[str, tuple[str, str]] = {}  # role -> (room id, door id)
        self.all_rooms: list[tuple[str, str]] = []         # (room id, door id)
        self.windows: list[str] = []
        self.gaps: list[str] = []
        self.roof_ways: list[str] = []
        self.control_room: str | None = None

    # ---------------------------------------------------------------- ids
    def uid(self, base: str) -> str:
        base = base.lower().replace(" ", "-").replace("'", "")
        cand = base
        n = 2
        while cand in self.ids:
            cand = f"{base}-{n}"
            n += 1
        self.ids.add(cand)
        return cand

    def p(self, prob: float) -> bool:
        return self.rng.random() < prob

    def maybe(self, prob: float, value):
        """value with probability prob, else None (not recorded)."""
        return value if self.rng.random() < prob else None

    def tri(self, lo, hi, mode=None):
        return self.rng.triangular(lo, hi, mode if mode is not None else (lo + hi) / 2)

    # ------------------------------------------------------------- zones
    def zone(self, base: str, kind: str, **kw) -> str:
        zid = self.uid(base)
        z = {"id": zid, "kind": kind}
        z.update(clean(kw))
        self.zones.append(z)
        self.zone_by_id[zid] = z
        return zid

    def wall(self, base: str, outside: str, inside: str, **kw) -> str:
        wid = self.uid(base)
        w = {"id": wid, "between": [outside, inside]}
        w.update(clean(kw))
        self.walls.append(w)
        return wid

    def gate(self, base: str, kind: str, outside: str, inside: str, **kw) -> str:
        gid = self.uid(base)
        g = {"id": gid, "kind": kind, "between": [outside, inside]}
        g.update(clean(kw))
        self.gates.append(g)
        return gid

    # ------------------------------------------------------------ hours
    def lock_spec(self, role: str):
        """A gate's `locked`: true, false, omitted (None) or lock hours."""
        r = self.rng.random()
        if role == "inner":          # store rooms, vaults, server rooms
            if r < 0.72:
                return True
            if r < 0.82:
                return None
            if r < 0.92:
                return self.timed_lock()
            return False
        if role == "perimeter":
            if r < 0.30:
                return True
            if r < 0.55:
                return self.timed_lock()
            if r < 0.72:
                return None
            return False
        if role == "building":
            if r < 0.30:
                return self.timed_lock()
            if r < 0.50:
                return True
            if r < 0.68:
                return None
            return False
        if role == "stairs":
            if r < 0.75:
                return False
            if r < 0.87:
                return None
            if r < 0.94:
                return self.timed_lock()
            return True
        if role == "roof":
            if r < 0.55:
                return True
            if r < 0.75:
                return None
            return False
        return None

    def timed_lock(self):
        rng = self.rng
        start = rng.choice([17, 17.5, 18, 18.5, 19, 20, 21, 22])
        end = rng.choice([6, 6.5, 7, 7.5, 8])
        form = rng.random()
        if form < 0.5:
            return [{"from": hm(start), "to": hm(end)}]
        if form < 0.8:
            # weekday nights, whole weekend
            return [
                {"from": hm(start), "to": hm(end), "days": list(WEEKDAYS)},
                {"from": "00:00", "to": "24:00", "days": list(WEEKEND)},
            ]
        if form < 0.9:
            # locked at night and over lunch
            return [{"from": hm(start), "to": hm(end)}, {"from": "12:00", "to": "13:00", "days": list(WEEKDAYS)}]
        # locked all week except the working day on weekdays
        return [{"from": hm(start), "to": "24:00", "days": list(WEEKDAYS)},
                {"from": "00:00", "to": hm(end), "days": list(WEEKDAYS)},
                {"from": "00:00", "to": "24:00", "days": list(WEEKEND)}]

    def armed_flag(self, base_p: float):
        return self.maybe(0.85, self.p(base_p))

    def rota(self, style: str, base_armed: float, guards=(1, 2)) -> list[dict]:
        """A weekly rota of shifts."""
        rng = self.rng
        g = lambda: rng.randint(*guards)  # noqa: E731
        armed = self.armed_flag(base_armed)

        def shift(f, t, n=None, days=None, arm=armed):
            s = {"from": f, "to": t, "guards": n if n is not None else g()}
            if f == t:
                s["hours"] = 24
            if arm is not None:
                s["armed"] = arm
            if days is not None:
                s["days"] = list(days)
            return s

        if style == "24x7":
            form = rng.random()
            if form < 0.35:
                return [shift("00:00", "24:00")]
            if form < 0.7:
                a = rng.choice([6, 7, 8])
                return [shift(hm(a), hm(a + 12)), shift(hm(a + 12), hm(a))]
            if form < 0.85:
                a = rng.choice([6, 7])
                return [shift(hm(a), hm(a + 8)), shift(hm(a + 8), hm(a + 16)), shift(hm(a + 16), hm(a))]
            # weekday/weekend crews
            return [shift("00:00", "24:00", days=WEEKDAYS), shift("00:00", "24:00", n=1, days=WEEKEND)]
        if style == "weekday":
            a = rng.choice([7, 7.5, 8, 8.5, 9])
            b = rng.choice([16, 17, 17.5, 18, 19])
            out = [shift(hm(a), hm(b), days=WEEKDAYS)]
            if self.p(0.35):
                out.append(shift(hm(a + 1), hm(rng.choice([12, 13, 14])), n=1, days=["sat"]))
            return out
        if style == "office6":   # KPO style: six days, office hours
            return [shift(hm(rng.choice([8, 9])), hm(rng.choice([16, 17])), days=DAYS[:6])]
        if style == "night":
            a = rng.choice([18, 19, 20, 21, 22])
            b = rng.choice([6, 7, 8])
            out = [shift(hm(a), hm(b))]
            if self.p(0.3):  # weekend days too
                out.append(shift(hm(b), hm(a), n=1, days=WEEKEND))
            return out
        if style == "gappy":     # two shifts with a hole at night
            a = rng.choice([6, 7])
            return [shift(hm(a), hm(a + 8)), shift(hm(a + 8), hm(a + 16 - rng.choice([0, 1, 2])))]
        if style == "rotating":  # different crews by day of the week
            days = list(DAYS)
            k = rng.randint(2, 5)
            first, second = days[:k], days[k:]
            a = rng.choice([6, 7, 8])
            return [
                shift(hm(a), hm(a + 12), n=2, days=first),
                shift(hm(a + 12), hm(a), n=1, days=first),
                shift(hm(a), hm(a + 12), n=1, days=second),
                shift(hm(a + 12), hm(a), n=1, days=second, arm=self.armed_flag(base_armed * 0.7)),
            ]
        if style == "empty":
            return []
        raise ValueError(style)

    def draw_rota(self, weights: dict[str, float], base_armed: float, guards=(1, 2)):
        styles = list(weights)
        style = self.rng.choices(styles, [weights[s] for s in styles])[0]
        return self.rota(style, base_armed, guards)

    # ------------------------------------------------------------- parts
    def topping(self):
        r = self.rng.random()
        if r < 0.15:
            return None                       # not recorded
        if r < 0.32:
            return {"kind": "none"}
        kind = self.rng.choices(
            ["barbed_wire", "razor_wire", "concertina", "spikes", "broken_glass", "electric"],
            [40, 25, 10, 10, 10, 5])[0]
        cond = self.rng.choices(["intact", "damaged", "cut", "missing"], [75, 13, 7, 5])[0]
        t = {"kind": kind, "condition": cond}
        if self.p(0.15):
            t["height_m"] = round(self.rng.uniform(0.3, 0.9), 1)
        return t

    def perimeter_wall(self, outside: str, inside: str, side: str, faces: str | None,
                       fence_bias: float) -> str:
        rng = self.rng
        is_fence = rng.random() < fence_bias
        kind = "fence" if is_fence else "wall"
        base = f"{side}-fence" if is_fence else f"{side}-wall"
        material = (rng.choice(["chain-link", "weld mesh", "steel palisade", "chain-link"]) if is_fence
                    else rng.choice(["masonry", "brick", "concrete", "block"]))
        height = round(rng.choice([1.5, 1.8, 2.0, 2.1, 2.4, 2.4, 2.5, 2.7, 3.0, 3.0, 3.5]), 1)
        w = dict(
            kind=kind if self.p(0.85) else None,
            name=(f"{'Fence' if is_fence else 'Wall'} on {faces}" if faces else None),
            side=side,
            faces=faces,
            material=self.maybe(0.7, material),
            height_m=self.maybe(0.93, height),
            length_m=self.maybe(0.8, int(rng.uniform(25, 450))),
            topping=self.topping(),
            anti_climb=self.maybe(0.6, self.p(0.3)),
        )
        if is_fence and self.p(0.35):
            w["bottom_gap_mm"] = rng.choice([20, 40, 50, 80, 120, 200])
        if self.p(0.3):
            cz = clean({"inside_m": self.maybe(0.8, rng.choice([0, 2, 3, 5, 6.1, 9, 10])),
                        "outside_m": self.maybe(0.8, rng.choice([0, 1, 3, 6.1]))})
            if self.p(0.5):
                cz["obstructions"] = rng.sample(
                    ["vegetation", "stacked_material", "parked_vehicles", "structure", "trees", "climbing_aid"],
                    rng.randint(0, 2))
            w["clear_zone"] = cz
        if self.p(0.22):
            gaps = []
            for _ in range(rng.randint(1, 2)):
                gk = rng.choices(["culvert", "drain", "gap", "breach", "cut"], [35, 30, 15, 10, 10])[0]
                gid = self.uid(f"{side}-{gk}")
                g = {"id": gid, "kind": gk}
                if gk in ("culvert", "drain"):
                    g["area_m2"] = self.maybe(0.75, round(rng.uniform(0.03, 1.2), 2))
                    g["smallest_side_mm"] = self.maybe(0.4, rng.choice([100, 150, 300, 450, 600]))
                    gr = self.maybe(0.8, self.p(0.55))
                    g["grille"] = gr
                    if gr:
                        g["grille_condition"] = rng.choices(["intact", "damaged", "cut", "missing"], [80, 10, 5, 5])[0]
                elif gk == "gap":
                    g["area_m2"] = self.maybe(0.6, round(rng.uniform(0.05, 0.8), 2))
                gaps.append(clean(g))
                self.gaps.append(gid)
            w["gaps"] = gaps
        wid = self.wall(base, outside, inside, **w)
        self.perimeter_walls.append(wid)
        return wid

    def perimeter_gate(self, outside: str, inside: str, kind: str, side: str, faces: str | None,
                       name: str) -> str:
        locked = self.lock_spec("perimeter")
        lock = None
        if locked is not None and locked is not False:
            lock = self.maybe(0.6, self.rng.choice(["padlock", "key", "electronic", "bar", "card"]))
        vb = None
        if kind == "vehicle_gate":
            vb = self.maybe(0.7, self.p(0.3))
        gid = self.gate(f"{name}", kind, outside, inside, name=name.replace("-", " ").capitalize(),
                        side=side, faces=faces, locked=locked, lock=lock, vehicle_barrier=vb)
        self.perimeter_gates.append(gid)
        return gid

    # ----------------------------------------------------------- building
    def building(self, bname: str, label: str, entry_zone: str, floors: int, rooms_per_floor: list[int],
                 roof: bool, basement: bool = False, room_names: list[str] | None = None,
                 entrance_public_hours=None, entrances: int | None = None) -> dict:
        rng = self.rng
        b = {"name": bname, "floors": [], "rooms": [], "roof": None, "entrances": [], "stairs": [], "windows": []}
        levels = list(range(floors))
        if basement:
            levels = [-1] + levels
        room_names = list(room_names or [])
        for li, lvl in enumerate(levels):
            fname = (f"{bname}-basement" if lvl < 0 else f"{bname}-ground" if lvl == 0 else f"{bname}-floor-{lvl}")
            fid = self.zone(fname, "floor", building=bname, level=lvl,
                            name=f"{label} {'basement' if lvl < 0 else 'ground floor' if lvl == 0 else f'floor {lvl}'}",
                            crossing_m=self.maybe(0.9, rng.choice([15, 20, 25, 30, 40, 50, 60])))
            b["floors"].append(fid)
        # stairs between consecutive floors, sometimes a lift as well
        for a, c in zip(b["floors"], b["floors"][1:]):
            sid = self.gate(f"{bname}-stairs", "stairs", a, c, locked=self.lock_spec("stairs"))
            b["stairs"].append(sid)
        if len(b["floors"]) >= 3 and self.p(0.35):
            top = b["floors"][-1]
            low = b["floors"][1] if basement else b["floors"][0]
            lid = self.gate(f"{bname}-lift", "lift", low, top, locked=self.maybe(0.7, self.p(0.4)))
            b["stairs"].append(lid)
        # rooms
        for fi, fid in enumerate(b["floors"]):
            nrooms = rooms_per_floor[fi] if fi < len(rooms_per_floor) else 0
            for _ in range(nrooms):
                rname = room_names.pop(0) if room_names else rng.choice(
                    ["office", "store", "meeting-room", "archive", "workshop", "lab", "kitchen", "plant-room",
                     "records", "it-room", "staff-room", "classroom"])
                rid = self.zone(f"{bname}-{rname}", "room", building=bname, level=self.zone_by_id[fid]["level"],
                                name=f"{label} {rname.replace('-', ' ')}",
                                crossing_m=self.maybe(0.85, rng.choice([4, 5, 6, 8, 10, 12, 15])))
                did = self.gate(f"{rid}-door", "door", fid, rid, locked=None)  # lock decided later by role
                b["rooms"].append((rid, fid, did))
                self.all_rooms.append((rid, did))
        # roof
        if roof:
            top = b["floors"][-1]
            lvl = self.zone_by_id[top]["level"] + 1
            rid = self.zone(f"{bname}-roof", "roof", building=bname, level=lvl, name=f"{label} roof",
                            crossing_m=self.maybe(0.7, rng.choice([20, 30, 40])))
            kind = rng.choices(["hatch", "stairs", "door"], [50, 30, 20])[0]
            hid = self.gate(f"{bname}-roof-{kind if kind != 'stairs' else 'stairs'}", kind, top, rid,
                            locked=self.lock_spec("roof"),
                            area_m2=(self.maybe(0.5, round(rng.uniform(0.4, 1.0), 2)) if kind == "hatch" else None))
            b["roof"] = rid
            self.roof_ways.append(hid)
        # entrances from the compound / grounds
        ground = b["floors"][1] if basement else b["floors"][0]
        n_ent = entrances if entrances is not None else rng.choices([1, 2, 3], [50, 35, 15])[0]
        for k in range(n_ent):
            nm = "main-entrance" if k == 0 else rng.choice(["side-door", "rear-door", "fire-exit", "loading-door"])
            ph = entrance_public_hours if k == 0 else None
            locked = self.lock_spec("building")
            if ph:
                locked = self.rng.choice([None, [{"from": ph[0]["to"], "to": ph[0]["from"]}]])
            lock = None
            if locked:
                lock = self.maybe(0.6, rng.choice(["key", "card", "code", "electronic"]))
            g = dict(name=f"{label} {nm.replace('-', ' ')}", locked=locked, lock=lock)
            if ph:
                g["public_hours"] = ph
            eid = self.gate(f"{bname}-{nm}", "door", entry_zone, ground, **g)
            b["entrances"].append(eid)
        # ground-floor windows
        for _ in range(rng.choices([0, 1, 2], [45, 40, 15])[0]):
            wid = self.gate(f"{bname}-window", "window", entry_zone, ground,
                            locked=self.maybe(0.6, self.p(0.7)),
                            area_m2=self.maybe(0.7, round(rng.uniform(0.3, 3.0), 1)),
                            grille=self.maybe(0.7, self.p(0.4)),
                            smallest_side_mm=self.maybe(0.15, rng.choice([120, 400, 600])))
            self.windows.append(wid)
            b["windows"].append(wid)
        self.buildings.append(b)
        return b

    def set_gate(self, gid: str, **kw):
        for g in self.gates:
            if g["id"] == gid:
                for k, v in kw.items():
                    if v is None:
                        g.pop(k, None)
                    else:
                        g[k] = v
                return g
        raise KeyError(gid)

    def gate_by_id(self, gid: str) -> dict:
        for g in self.gates:
            if g["id"] == gid:
                return g
        raise KeyError(gid)


# ======================================================================
# facility shapes
# ======================================================================

def split_rooms(rng: random.Random, total: int, floors: int) -> list[int]:
    out = [0] * floors
    for _ in range(total):
        out[rng.randrange(floors)] += 1
    return out


def fill_buildings(s: Site, target: int, entry_zone: str, max_floors: int, labels: list[str],
                   special: list[str], min_size=3, max_size=16, basement_p=0.1, roof_p=0.8,
                   public_hours_first=None):
    """Add buildings until the zone count reaches target. special: room names to place first."""
    rng = s.rng
    specials = list(special)
    bi = 0
    while True:
        remaining = target - len(s.zones)
        if remaining < 2:
            break
        size = min(remaining, rng.randint(min_size, max_size))
        if remaining - size < 3 and remaining <= max_size + 3:
            size = remaining
        floors = max(1, min(max_floors, rng.randint(1, max(1, size // 3))))
        roof = size > floors and rng.random() < roof_p
        basement = floors >= 2 and size - floors - (1 if roof else 0) >= 2 and rng.random() < basement_p
        nfloors = floors + (1 if basement else 0)
        nrooms = max(0, size - nfloors - (1 if roof else 0))
        label = labels[bi % len(labels)] if labels else f"Block {chr(65 + bi)}"
        if bi >= len(labels):
            label = f"{label} {bi + 1}"
        bname = s.uid(label.lower().replace(" ", "-").replace("'", "")) if True else None
        s.ids.discard(bname)   # the building label is not an element id
        take = []
        for sp in list(specials):
            if len(take) < nrooms and rng.random() < 0.45:
                take.append(sp)
                specials.remove(sp)
        generic = ["office", "store", "meeting-room", "archive", "workshop", "plant-room", "staff-room",
                   "kitchen", "office", "store"]
        take += [rng.choice(generic) for _ in range(nrooms - len(take))]
        rng.shuffle(take)
        s.building(bname, label, entry_zone, nfloors if not basement else floors,
                   split_rooms(rng, nrooms, nfloors), roof, basement=basement, room_names=take,
                   entrance_public_hours=(public_hours_first if bi == 0 else None))
        bi += 1
        if bi > 12:
            break
    # top up with rooms on existing floors if short
    while len(s.zones) < target and s.buildings:
        b = rng.choice(s.buildings)
        fid = rng.choice(b["floors"])
        rname = specials.pop(0) if specials else rng.choice(["store", "office", "plant-room", "archive"])
        rid = s.zone(f"{b['name']}-{rname}", "room", building=b["name"], level=s.zone_by_id[fid]["level"],
                     crossing_m=s.maybe(0.8, rng.choice([4, 6, 8, 10])))
        did = s.gate(f"{rid}-door", "door", fid, rid)
        b["rooms"].append((rid, fid, did))
        s.all_rooms.append((rid, did))


def special_room(s: Site, role: str) -> tuple[str, str] | None:
    for rid, did in s.all_rooms:
        if rid.split("-", 1)[-1].startswith(role) or role in rid:
            return rid, did
    return None


def outside_zones(s: Site, n_streets: int, neighbour_p: float, approach_p: float, external_p: float):
    rng = s.rng
    names = rng.sample(STREET_NAMES, n_streets)
    for nm in names:
        zid = s.zone(nm.lower().replace("'", "").replace(" ", "-"), "public", name=nm,
                     crossing_m=s.maybe(0.85, rng.choice([8, 10, 12, 15, 20, 25, 30])))
        s.outside.append(zid)
        s.streets.append(zid)
    if rng.random() < neighbour_p:
        zid = s.zone(rng.choice(["housing", "staff-quarters", "terraces", "flats", "estate"]), "residential",
                     name=rng.choice(["Neighbouring houses", "Housing estate", "Staff quarters", "Terraced houses"]),
                     control=rng.choice(["third_party", "third_party", None]),
                     crossing_m=s.maybe(0.7, rng.choice([30, 50, 80])))
        s.outside.append(zid)
    if rng.random() < approach_p:
        zid = s.zone(rng.choice(["car-park", "fields", "verge", "waste-ground", "forecourt-area"]), "approach",
                     crossing_m=s.maybe(0.8, rng.choice([10, 20, 40, 60])))
        s.outside.append(zid)
    if rng.random() < external_p:
        zid = s.zone(rng.choice(["warehouse-next-door", "shop-unit", "office-block", "petrol-station"]),
                     "external_building", crossing_m=s.maybe(0.5, 20))
        s.outside.append(zid)


SIDES = ["front", "rear", "left", "right"]


def enclose(s: Site, compound: str, fence_bias: float, gate_plan: list[str]):
    """Perimeter walls from every outside zone to the compound, and gates on the streets."""
    rng = s.rng
    sides = list(SIDES)
    rng.shuffle(sides)
    sides.remove("front")
    sides = ["front"] + sides
    wall_of = {}
    for i, oz in enumerate(s.outside):
        side = sides[i % 4]
        faces = s.zone_by_id[oz].get("name")
        kind = s.zone_by_id[oz]["kind"]
        if kind == "approach" and rng.random() < 0.3:
            continue          # open approach to the site: an opening is added below
        segs = rng.choices([1, 2], [75, 25])[0]
        ws = []
        for k in range(segs):
            ws.append(s.perimeter_wall(oz, compound, side, faces, fence_bias))
        wall_of[oz] = (side, faces, ws)
    streets = [z for z in s.outside if s.zone_by_id[z]["kind"] in ("public", "approach")]
    for i, gk in enumerate(gate_plan):
        oz = streets[i % len(streets)] if i < len(streets) or rng.random() < 0.5 else rng.choice(streets)
        side, faces, _ = wall_of.get(oz, ("front", s.zone_by_id[oz].get("name"), []))
        nm = {"vehicle_gate": "main-gate" if i == 0 else "service-gate",
              "pedestrian_gate": "pedestrian-gate", "opening": "entrance"}[gk]
        if gk == "opening":
            s.gate(nm, "opening", oz, compound, side=side, faces=faces)
        else:
            s.perimeter_gate(oz, compound, gk, side, faces, nm)
    # an approach left open, with no wall: an opening onto it
    for oz in s.outside:
        if s.zone_by_id[oz]["kind"] == "approach" and oz not in wall_of:
            s.gate("open-side", "opening", oz, compound)
    return wall_of


def make_office(s: Site, target: int):
    rng = s.rng
    outside_zones(s, rng.randint(1, 3), 0.35, 0.3, 0.3)
    comp = s.zone("compound", "compound", name="Office compound", crossing_m=s.maybe(0.9, rng.choice([30, 40, 60, 80])))
    s.compounds.append(comp)
    if rng.random() < 0.3:
        fc = s.zone("forecourt", "approach", control="own", name="Visitor forecourt", crossing_m=15)
        s.gate("forecourt-gate", "vehicle_gate", fc, comp, locked=s.lock_spec("perimeter"))
        s.gate("forecourt-entry", "opening", s.streets[0], fc)
    enclose(s, comp, 0.3, ["vehicle_gate"] + rng.sample(["pedestrian_gate", "vehicle_gate"], rng.randint(0, 2)))
    fill_buildings(s, target, comp, 8, ["Head office", "Annexe", "Data hall", "Canteen"],
                   ["server-room", "control-room", "cash-office", "records", "directors-suite", "it-room"],
                   min_size=5, max_size=20)


def make_depot(s: Site, target: int):
    rng = s.rng
    outside_zones(s, rng.randint(1, 2), 0.2, 0.8, 0.35)
    comp = s.zone("yard", "compound", name="Depot yard", crossing_m=s.maybe(0.9, rng.choice([80, 120, 200])))
    s.compounds.append(comp)
    enclose(s, comp, 0.85, ["vehicle_gate"] + rng.sample(["pedestrian_gate", "vehicle_gate"], rng.randint(0, 1)))
    # inner secure compound (fuel / arms store) sometimes
    if rng.random() < 0.45:
        inner = s.zone("secure-compound", "compound", name="Inner secure compound",
                       crossing_m=s.maybe(0.8, rng.choice([20, 30, 40])))
        s.compounds.append(inner)
        s.wall("inner-fence", comp, inner, kind="fence", side="internal",
               height_m=s.maybe(0.9, rng.choice([2.4, 2.5, 3.0])), topping=s.topping(),
               anti_climb=s.maybe(0.6, s.p(0.5)))
        s.gate("inner-gate", rng.choice(["vehicle_gate", "pedestrian_gate"]), comp, inner,
               locked=s.lock_spec("inner"), lock=s.maybe(0.6, "padlock"))
    # watch towers
    for i in range(rng.choices([0, 1, 2], [45, 30, 25])[0]):
        t = s.zone(f"tower-{['north', 'south', 'east', 'west'][i]}", "roof", name="Watch tower", crossing_m=3)
        s.gate(f"{t}-ladder", "stairs", comp, t, locked=s.maybe(0.7, False))
    fill_buildings(s, target, comp, 2, ["Warehouse", "Admin block", "Workshop", "Fuel store", "Garage"],
                   ["control-room", "arms-store", "bonded-store", "records", "fuel-store", "store"],
                   min_size=3, max_size=12, roof_p=0.5)
    # stores in the inner compound: move one building's entrance there? keep simple: extra store room in inner compound
    if len(s.compounds) > 1 and len(s.zones) < 60:
        st = s.zone("high-value-store", "room", name="High-value store", crossing_m=8)
        did = s.gate("high-value-store-door", "door", s.compounds[1], st, locked=True)
        s.all_rooms.append((st, did))


def make_campus(s: Site, target: int):
    rng = s.rng
    outside_zones(s, rng.randint(2, 4), 0.5, 0.4, 0.2)
    north = s.zone("campus", "compound", name="Campus grounds", crossing_m=s.maybe(0.9, rng.choice([120, 200, 300])))
    s.compounds.append(north)
    enclose(s, north, 0.6, ["vehicle_gate", "pedestrian_gate"] +
            rng.sample(["pedestrian_gate", "vehicle_gate", "opening"], rng.randint(0, 2)))
    if rng.random() < 0.5:
        lab = s.zone("research-compound", "compound", name="Fenced research area", crossing_m=40)
        s.compounds.append(lab)
        s.wall("research-fence", north, lab, kind="fence", side="internal",
               height_m=s.maybe(0.9, 2.4), topping=s.topping())
        s.gate("research-gate", "pedestrian_gate", north, lab, locked=s.lock_spec("perimeter"),
               lock=s.maybe(0.5, "card"))
    labels = ["Library", "Science block", "Arts block", "Admin building", "Sports hall", "Lecture theatre",
              "Engineering", "Student union", "Halls"]
    rng.shuffle(labels)
    before = len(s.buildings)
    fill_buildings(s, target, north, 4, labels,
                   ["server-room", "control-room", "exam-store", "chemicals-store", "finance-office", "lab"],
                   min_size=3, max_size=9)
    # move the last building into the research compound
    if len(s.compounds) > 1 and len(s.buildings) > 1:
        b = s.buildings[-1]
        for eid in b["entrances"] + b["windows"]:
            g = s.gate_by_id(eid)
            g["between"][0] = s.compounds[1]
    # corridors between buildings: on the ground and first floors
    bs = s.buildings[before:]
    for a, c in zip(bs, bs[1:]):
        if rng.random() < 0.55 and a["floors"] and c["floors"]:
            lvl_pairs = [(fa, fc) for fa in a["floors"] for fc in c["floors"]
                         if s.zone_by_id[fa]["level"] == s.zone_by_id[fc]["level"]]
            if not lvl_pairs:
                continue
            fa, fc = rng.choice(lvl_pairs)
            if len(s.zones) < 60 and rng.random() < 0.4:
                cor = s.zone(f"link-{a['name']}-{c['name']}", "floor", name="Link corridor",
                             level=s.zone_by_id[fa]["level"], crossing_m=s.maybe(0.8, rng.choice([15, 25, 40])))
                s.gate(f"{cor}-door-a", "door", fa, cor, locked=s.lock_spec("stairs"))
                s.gate(f"{cor}-door-b", "door", cor, fc, locked=s.lock_spec("building"))
            else:
                s.gate(f"corridor-{a['name']}-{c['name']}", "door", fa, fc, locked=s.lock_spec("building"),
                       name="Link corridor door")


def make_police(s: Site, target: int):
    rng = s.rng
    outside_zones(s, rng.randint(1, 3), 0.7, 0.2, 0.35)
    comp = s.zone("compound", "compound", name="Police station compound", crossing_m=s.maybe(0.9, rng.choice([30, 40, 60])))
    s.compounds.append(comp)
    enclose(s, comp, 0.15, ["vehicle_gate"] + rng.sample(["pedestrian_gate", "vehicle_gate"], rng.randint(0, 1)))
    if rng.random() < 0.4:
        yard = s.zone("vehicle-yard", "compound", name="Vehicle yard and garages", crossing_m=30)
        s.compounds.append(yard)
        s.gate("yard-gate", "vehicle_gate", comp, yard, locked=s.lock_spec("perimeter"))
        s.wall("yard-wall", comp, yard, side="internal", height_m=s.maybe(0.8, 2.0), topping=s.topping())
    fill_buildings(s, target, comp, 6, ["Station", "Barracks", "Annexe", "Garage block"],
                   ["armoury", "control-room", "custody-suite", "evidence-store", "chiefs-office", "records",
                    "cells", "server-room"], min_size=6, max_size=20)


def make_hospital(s: Site, target: int):
    rng = s.rng
    outside_zones(s, rng.randint(1, 2), 0.3, 0.0, 0.2)
    grounds = s.zone("grounds", "approach", name="Hospital grounds and car park",
                     crossing_m=s.maybe(0.9, rng.choice([60, 80, 120])))
    for st in s.streets:
        s.gate(f"{st}-entrance", "opening", st, grounds, name="Road entrance to the grounds")
    if rng.random() < 0.35:
        # a fenced service yard behind the wing
        yard = s.zone("service-yard", "compound", name="Service yard", crossing_m=25)
        s.compounds.append(yard)
        s.wall("service-yard-fence", grounds, yard, kind="fence", side="rear",
               height_m=s.maybe(0.9, rng.choice([1.8, 2.1, 2.4])), topping=s.topping())
        s.gate("service-yard-gate", "vehicle_gate", grounds, yard, locked=s.lock_spec("perimeter"),
               vehicle_barrier=s.maybe(0.5, False))
    ph = [{"from": hm(rng.choice([6, 7, 8])), "to": hm(rng.choice([20, 21, 22]))}]
    fill_buildings(s, target, grounds, 6, ["Main wing", "Outpatients", "Maternity wing", "Mental health unit"],
                   ["pharmacy", "control-room", "records", "server-room", "drugs-store", "maternity-ward"],
                   min_size=6, max_size=22, public_hours_first=ph)
    # the emergency entrance: open at all hours
    b0 = s.buildings[0]
    ground = b0["floors"][0] if s.zone_by_id[b0["floors"][0]]["level"] == 0 else b0["floors"][1]
    s.gate("ed-entrance", "door", grounds, ground, name="Emergency department entrance", locked=False)
    if s.compounds:
        yard = s.compounds[0]
        s.gate("yard-service-door", "door", yard, ground, locked=s.lock_spec("building"))


def make_utility(s: Site, target: int):
    rng = s.rng
    outside_zones(s, rng.randint(1, 2), 0.15, 0.85, 0.2)
    comp = s.zone("plant-yard", "compound", name="Plant yard", crossing_m=s.maybe(0.9, rng.choice([40, 80, 150])))
    s.compounds.append(comp)
    enclose(s, comp, 0.9, ["vehicle_gate"] + rng.sample(["pedestrian_gate"], rng.randint(0, 1)))
    if rng.random() < 0.4:
        sub = s.zone("switchyard", "compound", name="Switchyard", crossing_m=30)
        s.compounds.append(sub)
        s.wall("switchyard-fence", comp, sub, kind="fence", side="internal", height_m=s.maybe(0.9, 2.4),
               topping=s.topping(), bottom_gap_mm=s.maybe(0.4, rng.choice([30, 50, 100])))
        s.gate("switchyard-gate", "pedestrian_gate", comp, sub, locked=True, lock=s.maybe(0.7, "padlock"))
    fill_buildings(s, target, comp, 3, ["Control building", "Pump house", "Turbine hall", "Equipment shelter",
                                        "Generator house", "Workshop"],
                   ["control-room", "equipment-vault", "relay-room", "battery-room", "server-room", "chemicals-store"],
                   min_size=3, max_size=10, roof_p=0.5)


def make_school(s: Site, target: int):
    rng = s.rng
    outside_zones(s, rng.randint(2, 3), 0.6, 0.5, 0.1)
    comp = s.zone("school-grounds", "compound", name="School grounds", crossing_m=s.maybe(0.9, rng.choice([80, 120, 160])))
    s.compounds.append(comp)
    enclose(s, comp, 0.7, ["pedestrian_gate", "vehicle_gate"] + rng.sample(["pedestrian_gate"], rng.randint(0, 1)))
    if rng.random() < 0.4 and len(s.zones) < target - 6:
        bh = s.zone("boarding-house", "residential", name="Boarding house", control="own", crossing_m=30)
        s.wall("boarding-fence", comp, bh, kind="fence", side="internal", height_m=s.maybe(0.9, 1.2),
               topping={"kind": "none"}, anti_climb=s.maybe(0.6, False))
        s.gate("boarding-door", "door", comp, bh, locked=s.lock_spec("building"))
    fill_buildings(s, target, comp, 3, ["Block A", "Block B", "Sports hall", "Science block", "Nursery",
                                        "Sixth form", "Admin"],
                   ["server-room", "bursar-office", "exam-store", "control-room", "records", "chemicals-store"],
                   min_size=3, max_size=10)


MAKERS = {"office": make_office, "depot": make_depot, "campus": make_campus, "police": make_police,
          "hospital": make_hospital, "utility": make_utility, "school": make_school}

GUARDED = {"office": 0.75, "depot": 0.85, "campus": 0.7, "police": 0.97, "hospital": 0.9,
           "utility": 0.25, "school": 0.7}
ARMED_BASE = {"office": 0.2, "depot": 0.55, "campus": 0.1, "police": 0.9, "hospital": 0.05,
              "utility": 0.3, "school": 0.02}


# ======================================================================
# what watches, who responds, what is protected
# ======================================================================

ASSET_ROOM_HINTS = ["vault", "armoury", "arms-store", "cash-office", "server-room", "pharmacy", "drugs-store",
                    "evidence-store", "equipment-vault", "control-room", "records", "bonded-store", "exam-store",
                    "chemicals-store", "relay-room", "chiefs-office", "directors-suite", "finance-office",
                    "bursar-office", "fuel-store", "high-value-store", "it-room", "lab", "battery-room",
                    "custody-suite", "maternity-ward", "store"]

ASSET_NAMES = {
    "vault": "Cash in the vault", "armoury": "Weapons and ammunition", "arms-store": "Weapons store",
    "cash-office": "Cash office takings", "server-room": "Servers and network core", "pharmacy": "Controlled drugs",
    "drugs-store": "Controlled drugs store", "evidence-store": "Evidence and seized goods",
    "equipment-vault": "Control equipment", "control-room": "Control room", "records": "Personnel records",
    "bonded-store": "Bonded goods", "exam-store": "Examination papers", "chemicals-store": "Hazardous chemicals",
    "relay-room": "Protection relays", "chiefs-office": "Station chief", "directors-suite": "Directors",
    "finance-office": "Finance office", "bursar-office": "Bursar's safe", "fuel-store": "Fuel store",
    "high-value-store": "High-value stock", "it-room": "IT equipment", "lab": "Laboratory equipment",
    "battery-room": "Battery plant", "custody-suite": "Detainees", "maternity-ward": "Newborns",
    "store": "Stores",
}


def pick_asset_rooms(s: Site, n: int) -> list[tuple[str, str]]:
    chosen: list[tuple[str, str]] = []
    rooms = list(s.all_rooms)
    s.rng.shuffle(rooms)
    scored = []
    for rid, did in rooms:
        score = 0
        for i, h in enumerate(ASSET_ROOM_HINTS):
            if h in rid:
                score = 100 - i
                break
        scored.append((score + s.rng.random() * 20, rid, did))
    scored.sort(reverse=True)
    for _, rid, did in scored[:n]:
        chosen.append((rid, did))
    return chosen


def add_assets(s: Site):
    rng = s.rng
    n = rng.choices([1, 2, 3, 4, 5, 6], [25, 28, 20, 12, 9, 6])[0]
    rooms = pick_asset_rooms(s, n)
    if not rooms:
        floors = [f for b in s.buildings for f in b["floors"]]
        rooms = [(f, None) for f in rng.sample(floors, min(n, len(floors)))]
    # sometimes people on a floor are an asset too
    if len(rooms) < n and s.buildings:
        b = rng.choice(s.buildings)
        rooms.append((rng.choice(b["floors"]), None))
    for rid, did in rooms:
        hint = next((h for h in ASSET_ROOM_HINTS if h in rid), None)
        name = ASSET_NAMES.get(hint, "Staff at work") if hint else "Staff at work"
        value = rng.choices(["critical", "high", "medium", "low"], [25, 40, 25, 10])[0]
        people = name in ("Staff at work", "Detainees", "Newborns", "Station chief", "Directors")
        theft = hint in ("vault", "armoury", "arms-store", "cash-office", "pharmacy", "drugs-store", "evidence-store",
                         "bonded-store", "exam-store", "high-value-store", "it-room", "bursar-office", "store")
        a = {"id": s.uid(f"{hint or 'staff'}-asset" if hint else "staff"), "name": name, "zone": rid}
        if s.p(0.92):
            a["value"] = value
        task = 0 if people else rng.choice([30, 60, 120, 180, 240, 300, 600])
        if s.p(0.9):
            a["task_s"] = task
            if task and s.p(0.5):
                a["task_sd_s"] = round(task * rng.uniform(0.1, 0.3))
        if theft and s.p(0.6):
            a["wants"] = "theft"
        elif s.p(0.15):
            a["wants"] = "sabotage"
        s.assets.append(a)
        # the door of an asset room: usually locked, with a lock and sometimes a heavy delay
        if did:
            g = s.gate_by_id(did)
            lk = s.lock_spec("inner")
            if lk is not None:
                g["locked"] = lk
                if lk is not False and s.p(0.6):
                    g["lock"] = rng.choice(["key", "card", "code", "electronic"])
            if hint in ("vault", "armoury", "equipment-vault", "arms-store") and s.p(0.5):
                g["delay_s"] = rng.choice([300, 600, 900, 1800])
                g["delay_sd_s"] = round(g["delay_s"] * 0.1)
    # every other room door: a lock as an office would have it
    asset_doors = {did for _, did in rooms if did}
    for rid, did in s.all_rooms:
        g = s.gate_by_id(did)
        if did in asset_doors or "locked" in g:
            continue
        lk = s.lock_spec(rng.choice(["building", "building", "inner"]))
        if lk is not None:
            g["locked"] = lk
            if lk is not False and s.p(0.4):
                g["lock"] = rng.choice(["key", "card", "code"])


def add_posts(s: Site):
    rng = s.rng
    guarded = rng.random() < GUARDED[s.kind]
    armed = ARMED_BASE[s.kind]
    if not guarded:
        # perhaps a daytime receptionist only
        if s.buildings and rng.random() < 0.5:
            s.checkpoints.append(clean({
                "id": s.uid("reception"), "name": "Reception desk", "at": s.buildings[0]["entrances"][0],
                "telephone": s.maybe(0.6, True), "radio": s.maybe(0.4, False),
                "shifts": s.rota("weekday", 0.0, (1, 1))}))
        return
    gates = [g for g in s.perimeter_gates]
    main = gates[0] if gates else None
    if main:
        cp = {"id": s.uid("gate-post"), "name": "Main gate post", "at": main}
        obs = [w for w in s.perimeter_walls if rng.random() < 0.35]
        if obs:
            cp["observes"] = obs
        cp["radio"] = s.maybe(0.75, s.p(0.85))
        cp["duress_alarm"] = s.maybe(0.5, s.p(0.5))
        cp["telephone"] = s.maybe(0.3, s.p(0.8))
        if s.p(0.95):
            cp["shifts"] = s.draw_rota({"24x7": 55, "rotating": 12, "gappy": 10, "weekday": 10, "night": 8,
                                        "office6": 5}, armed, (1, 3))
        s.checkpoints.append(clean(cp))
    for g in gates[1:]:
        if rng.random() < 0.45:
            cp = {"id": s.uid(f"post-{g}"), "at": g,
                  "radio": s.maybe(0.6, s.p(0.7)),
                  "shifts": s.draw_rota({"weekday": 40, "night": 25, "office6": 15, "gappy": 10, "empty": 10},
                                        armed * 0.8, (1, 2))}
            if s.p(0.06):
                cp.pop("shifts")        # not recorded
            s.checkpoints.append(clean(cp))
    # building entrance posts
    for b in s.buildings:
        if rng.random() < 0.4:
            ent = b["entrances"][0]
            cp = {"id": s.uid(f"desk-{b['name']}"), "name": "Entrance desk", "at": ent,
                  "radio": s.maybe(0.6, s.p(0.6)), "duress_alarm": s.maybe(0.4, s.p(0.4)),
                  "shifts": s.draw_rota({"weekday": 35, "office6": 20, "24x7": 20, "night": 10, "rotating": 10,
                                         "gappy": 5}, armed * 0.6, (1, 2))}
            s.checkpoints.append(clean(cp))
    # a post at an asset door (the KPO chief's office pattern)
    for a in s.assets:
        if rng.random() < 0.2:
            did = next((d for r, d in s.all_rooms if r == a["zone"]), None)
            if did:
                s.checkpoints.append(clean({
                    "id": s.uid(f"post-{a['zone']}"), "at": did,
                    "radio": s.maybe(0.5, True),
                    "shifts": s.draw_rota({"office6": 35, "weekday": 35, "24x7": 20, "night": 10}, armed, (1, 1))}))
    # sentries on towers (zones) and pickets on walls
    for z in s.zones:
        if z["kind"] == "roof" and z["id"].startswith("tower") and rng.random() < 0.8:
            s.checkpoints.append(clean({
                "id": s.uid(f"sentry-{z['id']}"), "at": z["id"],
                "observes": rng.sample(s.perimeter_walls, min(len(s.perimeter_walls), rng.randint(1, 3))) or None,
                "radio": s.maybe(0.8, True),
                "shifts": s.draw_rota({"24x7": 40, "night": 45, "gappy": 15}, armed, (1, 1))}))
    if s.perimeter_walls and rng.random() < 0.08:
        w = rng.choice(s.perimeter_walls)
        s.checkpoints.append(clean({"id": s.uid(f"picket-{w}"), "at": w,
                                    "shifts": s.rota("night", armed, (1, 2))}))


def add_station(s: Site):
    """A control room and its operators, when the site has one."""
    rng = s.rng
    cr = special_room(s, "control-room")
    if not cr:
        return None
    s.control_room = cr[0]
    g = s.gate_by_id(cr[1])
    if "locked" not in g or g.get("locked") is False:
        g["locked"] = rng.choice([True, True, True, False, None]) if True else None
        if g["locked"] is None:
            g.pop("locked")
    if rng.random() < 0.7:
        st = {"id": s.uid("operators"), "name": "Control room operators", "in": cr[0],
              "radio": s.maybe(0.7, s.p(0.9)), "telephone": s.maybe(0.4, True),
              "backup_power": s.maybe(0.6, s.p(0.6))}
        if s.p(0.93):
            st["shifts"] = [{k: v for k, v in sh.items() if k != "armed"} if s.p(0.7) else sh
                            for sh in s.draw_rota({"24x7": 55, "weekday": 15, "night": 15, "gappy": 10, "empty": 5},
                                                  0.1, (1, 2))]
        s.stations.append(clean(st))
        return s.stations[-1]["id"]
    return None


def camera_fields(s: Site, station: str | None, covers: list[str], outdoor: bool) -> dict:
    rng = s.rng
    c = {"id": None, "covers": covers}
    c["status"] = s.maybe(0.35, rng.choices(["working", "faulty", "offline", "removed"], [80, 10, 8, 2])[0])
    if c["status"] is None and s.p(0.08):
        c["status"] = rng.choice(["faulty", "offline"])
    if station and s.p(0.7):
        c["station"] = station
    else:
        c["monitored"] = s.maybe(0.75, s.p(0.45))
    c["recording"] = s.maybe(0.75, s.p(0.85))
    c["night"] = s.maybe(0.7, s.p(0.65 if outdoor else 0.5))
    if s.p(0.15):
        c["motion_alarm"] = True
    c["backup_power"] = s.maybe(0.45, s.p(0.5))
    if s.p(0.25):
        c["pixel_density_px_m"] = rng.choice([12, 20, 25, 30, 62.5, 125, 250])
    if s.p(0.05):
        c["p_detect"] = round(rng.uniform(0.3, 0.9), 2)
    return c


def add_cameras(s: Site, station: str | None):
    rng = s.rng
    density = rng.choice([0.0, 0.3, 0.5, 0.7, 0.9])
    cams = []
    # perimeter
    for w in s.perimeter_walls:
        if rng.random() < density:
            cov = [w]
            near = [g for g in s.perimeter_gates if rng.random() < 0.3]
            cov += near[:1]
            cams.append(("perimeter", cov, True))
    for g in s.perimeter_gates:
        if rng.random() < density + 0.15 and not any(g in c[1] for c in cams):
            cams.append(("gate", [g], True))
    for c in s.compounds:
        if rng.random() < density * 0.5:
            cams.append(("yard", [c], True))
    # buildings
    for b in s.buildings:
        for e in b["entrances"]:
            if rng.random() < density:
                cams.append(("entrance", [e] + ([b["floors"][0]] if rng.random() < 0.3 else []), False))
        if b["roof"] and rng.random() < density * 0.4:
            cams.append(("roof", [b["roof"]], True))
        for sid in b["stairs"]:
            if rng.random() < density * 0.3:
                cams.append(("stairs", [sid], False))
    for a in s.assets:
        did = next((d for r, d in s.all_rooms if r == a["zone"]), None)
        if rng.random() < min(1.0, density + 0.3):
            cov = [did] if did else [a["zone"]]
            if did and rng.random() < 0.5:
                cov.append(a["zone"])
            if rng.random() < 0.15:
                cov.append(a["id"])
            cams.append(("asset", cov, False))
    for gid in s.gaps:
        if rng.random() < density * 0.5:
            cams.append(("gap", [gid], True))
    for role, cov, outdoor in cams:
        c = camera_fields(s, station, cov, outdoor)
        c["id"] = s.uid(f"cam-{cov[0]}")
        s.cameras.append(clean(c))


def add_sensors_and_routes(s: Site, remote_resp: str | None, onsite_resp: str | None):
    rng = s.rng
    sensors = []
    level = rng.choice([0, 0.2, 0.5, 0.8])
    for w in s.perimeter_walls:
        if rng.random() < level * 0.7:
            kind = rng.choice(["fence_vibration", "taut_wire", "microwave", "infrared_beam", "buried_cable"])
            sensors.append((kind, [w]))
    for gid in s.gaps:
        if rng.random() < level * 0.5:
            sensors.append(("fence_vibration", [gid]))
    for a in s.assets:
        did = next((d for r, d in s.all_rooms if r == a["zone"]), None)
        if did and rng.random() < level + 0.2:
            sensors.append(("door_contact", [did]))
        if rng.random() < level + 0.1:
            sensors.append(("pir", [a["zone"]]))
        if did and "vault" in a["zone"] and rng.random() < 0.6:
            sensors.append(("seismic", [did]))
    for w in s.windows:
        if rng.random() < level * 0.5:
            sensors.append(("glass_break", [w]))
    for r in s.roof_ways:
        if rng.random() < level * 0.6:
            sensors.append(("door_contact", [r]))
    route_id = None
    use_route = remote_resp is not None and sensors and rng.random() < 0.6
    if use_route:
        route_id = s.uid("to-" + remote_resp)
        relays = []
        if rng.random() < 0.6:
            relays.append(clean({"kind": "receiving_centre", "name": "Alarm receiving centre",
                                 "p_comm": s.maybe(0.7, round(rng.uniform(0.9, 0.995), 3)),
                                 "delay_s": rng.choice([30, 45, 60, 90]),
                                 "delay_sd_s": s.maybe(0.7, rng.choice([10, 20, 30]))}))
        elif rng.random() < 0.5 and s.control_room:
            st = {"kind": "station", "name": "Site control room", "delay_s": rng.choice([20, 30, 60])}
            if rng.random() < 0.5:
                st["hours"] = [{"from": hm(rng.choice([7, 8])), "to": hm(rng.choice([18, 20, 22]))}]
            relays.append(st)
        relays.append(clean({"kind": "dispatch", "name": "Dispatch", "delay_s": rng.choice([60, 90, 120, 180]),
                             "delay_sd_s": s.maybe(0.6, rng.choice([20, 30, 60]))}))
        resps = [remote_resp] + ([onsite_resp] if onsite_resp and rng.random() < 0.3 else [])
        s.alarm_routes.append({"id": route_id, "name": "Alarm route off the site", "relays": relays,
                               "responders": resps})
    for kind, cov in sensors:
        se = {"id": s.uid(f"{kind.replace('_', '-')}-{cov[0]}"), "kind": kind, "covers": cov}
        se["status"] = s.maybe(0.3, rng.choices(["working", "faulty", "offline"], [85, 10, 5])[0])
        if route_id and rng.random() < 0.8:
            se["route"] = route_id
        se["backup_power"] = s.maybe(0.5, s.p(0.6))
        se["tamper_alarm"] = s.maybe(0.45, s.p(0.6))
        if s.p(0.12):
            se["p_detect"] = round(rng.uniform(0.5, 0.98), 2)
        s.sensors.append(clean(se))


def add_lights(s: Site):
    rng = s.rng
    if rng.random() < 0.08:
        return
    switch_zones = [z["id"] for z in s.zones if z["kind"] in ("floor", "room", "compound")]
    # perimeter lighting
    cov = [w for w in s.perimeter_walls if rng.random() < 0.75] + \
          [g for g in s.perimeter_gates if rng.random() < 0.8] + \
          [c for c in s.compounds if rng.random() < 0.5]
    if cov:
        lt = {"id": s.uid("perimeter-lights"), "covers": cov,
              "status": s.maybe(0.25, rng.choices(["working", "faulty", "offline"], [80, 15, 5])[0]),
              "lux": s.maybe(0.35, rng.choice([0.5, 1, 2, 4, 5, 10])),
              "backup_power": s.maybe(0.7, s.p(0.5))}
        if lt.get("backup_power"):
            lt["backup_transfer_s"] = s.maybe(0.7, rng.choice([0, 10, 30, 60, 180]))
        lt["switch_in"] = s.maybe(0.7, rng.choice(switch_zones) if switch_zones else None)
        lt["switch_locked"] = s.maybe(0.65, s.p(0.5))
        s.lights.append(clean(lt))
    # entrance lights
    ents = [e for b in s.buildings for e in b["entrances"] if rng.random() < 0.6]
    if ents:
        lt = {"id": s.uid("entrance-lights"), "covers": ents,
              "lux": s.maybe(0.3, rng.choice([5, 10, 20, 30])),
              "backup_power": s.maybe(0.6, s.p(0.5)),
              "switch_in": s.maybe(0.6, rng.choice(switch_zones)),
              "switch_locked": s.maybe(0.6, s.p(0.5))}
        s.lights.append(clean(lt))
    # building interiors
    for b in s.buildings:
        if rng.random() < 0.3:
            lt = {"id": s.uid(f"lights-{b['name']}"), "covers": b["floors"] + b["stairs"],
                  "backup_power": s.maybe(0.6, s.p(0.4)),
                  "switch_in": s.maybe(0.7, b["floors"][0]),
                  "switch_locked": s.maybe(0.5, False)}
            s.lights.append(clean(lt))


def add_patrols(s: Site):
    rng = s.rng
    if rng.random() > 0.18 or not s.perimeter_walls:
        return
    route = rng.sample(s.perimeter_walls, min(len(s.perimeter_walls), rng.randint(1, 4)))
    route += [g for g in s.perimeter_gates if rng.random() < 0.5]
    route += [g for g in s.gaps if rng.random() < 0.5]
    p = {"id": s.uid("night-patrol"), "route": route, "interval_min": rng.choice([15, 30, 45, 60, 90, 120])}
    if rng.random() < 0.7:
        p["hours"] = [{"from": hm(rng.choice([18, 19, 20, 22])), "to": hm(rng.choice([5, 6, 7]))}]
    if rng.random() < 0.1:
        p["p_detect"] = round(rng.uniform(0.3, 0.8), 2)
    s.patrols.append(p)


def add_responders(s: Site) -> tuple[str | None, str | None]:
    rng = s.rng
    r = rng.random()
    if r < 0.04:
        s.responders = None            # who responds is not recorded
        return None, None
    if r < 0.06:
        s.responders = []              # recorded: nobody responds
        return None, None
    onsite = remote = None
    n = rng.choices([1, 2], [55, 45])[0]
    kinds = ["remote", "onsite"] if n == 2 else [rng.choice(["remote", "remote", "onsite"])]
    for k in kinds:
        if k == "remote":
            name = rng.choice(["Local police", "Police quick response", "Mobile patrol company", "Gendarmerie"])
            resp = {"id": s.uid(name.lower().split()[0] + "-" + name.lower().split()[-1]), "name": name,
                    "response_s": rng.choice([240, 300, 420, 600, 900, 1200]),
                    "response_sd_s": s.maybe(0.85, rng.choice([60, 90, 120, 180, 300])),
                    "size": s.maybe(0.8, rng.choice([2, 2, 4, 6, 8])),
                    "armed": s.maybe(0.8, s.p(0.7)),
                    "arrives_at": s.maybe(0.6, rng.choice(s.streets) if s.streets else None)}
            if rng.random() < 0.15:
                resp["on_duty"] = [{"from": "20:00", "to": "06:00"}]
            remote = resp["id"]
        else:
            resp = {"id": s.uid("reaction-team"), "name": "On-site reaction team",
                    "response_s": rng.choice([45, 60, 90, 120, 180, 240]),
                    "response_sd_s": s.maybe(0.8, rng.choice([10, 15, 30, 60])),
                    "size": s.maybe(0.8, rng.randint(2, 12)),
                    "armed": s.maybe(0.8, s.p(ARMED_BASE[s.kind] + 0.1))}
            rr = rng.random()
            if rr < 0.2:
                resp["on_duty"] = [{"from": hm(rng.choice([7, 8])), "to": hm(rng.choice([17, 18, 19])),
                                    "days": list(WEEKDAYS)}]
            elif rr < 0.3:
                resp["on_duty"] = [{"from": "18:00", "to": "06:00"}]
            onsite = resp["id"]
        s.responders.append(clean(resp))
    return remote, onsite


def add_surroundings(s: Site):
    rng = s.rng
    overlookable = s.compounds + [b["roof"] for b in s.buildings if b["roof"]]
    if overlookable and rng.random() < 0.35:
        for i in range(rng.randint(1, 2)):
            vp = {"id": s.uid(rng.choice(["vp-flats", "vp-tower", "vp-hill", "vp-office-block", "vp-minaret"])),
                  "name": rng.choice(["Flats across the road", "Office tower", "Hill behind the site",
                                      "Multi-storey car park"]),
                  "overlooks": rng.sample(overlookable, min(len(overlookable), rng.randint(1, 2))),
                  "controlled": s.maybe(0.7, s.p(0.15)),
                  "distance_m": s.maybe(0.7, rng.choice([30, 80, 150, 300, 600, 900])),
                  "height_m": s.maybe(0.6, rng.choice([1.5, 8, 15, 30, 45]))}
            s.vantage_points.append(clean(vp))
        if rng.random() < 0.25 and s.vantage_points:
            vp = s.vantage_points[0]["id"]
            s.waivers.append({"rule": "SA-VANT-*", "element": vp,
                              "reason": "Private building outside our control; blinds fitted on the facing windows.",
                              "owner": "security-manager@example.invalid",
                              "expires": str(_dt.date(2025, 1, 1) + _dt.timedelta(days=rng.randint(0, 1100)))})
    if s.buildings and s.streets and rng.random() < 0.3:
        b = rng.choice(s.buildings)
        va = {"id": s.uid("va-" + s.streets[0]), "from": s.streets[0], "to": b["floors"][0],
              "standoff_m": rng.choice([5, 10, 15, 25, 50, 80]),
              "building_use": s.maybe(0.7, rng.choice(["primary_gathering", "billeting", "inhabited", "other"])),
              "barrier": s.maybe(0.7, s.p(0.3))}
        s.vehicle_approaches.append(clean(va))


def add_threats(s: Site):
    rng = s.rng
    n = rng.choices([1, 2], [55, 45])[0]
    forms = ["outsider-force", "outsider-stealth", "insider", "vehicle", "standoff",
             "raid", "insider-keys", "team", "burglars"]
    weights = [18, 16, 8, 6, 3, 12, 14, 12, 11]
    chosen: list[str] = []
    while len(chosen) < n:
        f = rng.choices(forms, weights)[0]
        if f not in chosen:
            chosen.append(f)
    asset_zones = {a["zone"] for a in s.assets}
    for f in chosen:
        if f in ("outsider-force", "outsider-stealth", "insider", "vehicle", "standoff"):
            s.threats.append(f)
        elif f == "raid":   # an outsider using force
            s.threats.append(clean({
                "id": s.uid("armed-raid"), "based_on": "outsider-force",
                "description": "An armed team forcing its way in",
                "team": rng.randint(2, 6), "armed": True,
                "tools": rng.choice(["power", "hand", None]),
                "explosives": s.maybe(0.7, s.p(0.4)), "tactic": "force",
                "determined": s.maybe(0.6, s.p(0.5))}))
        elif f == "team":   # a team of several attackers
            s.threats.append(clean({
                "id": s.uid("attack-team"), "based_on": rng.choice(["outsider-force", "outsider-stealth"]),
                "team": rng.randint(3, 10), "armed": s.maybe(0.8, s.p(0.6)),
                "tools": s.maybe(0.7, rng.choice(["hand", "power"])),
                "tactic": s.maybe(0.7, rng.choice(["force", "stealth"]))}))
        elif f == "burglars":
            s.threats.append(clean({
                "id": s.uid("burglars"), "based_on": "outsider-stealth", "team": rng.randint(1, 3),
                "armed": False, "tools": rng.choice(["hand", "power"]), "tactic": "stealth"}))
        else:               # an insider with keys
            work = [z["id"] for z in s.zones if z["kind"] in ("floor", "room", "compound")
                    and z["id"] not in asset_zones]
            inner_gates = [g["id"] for g in s.gates if g["kind"] in ("door", "pedestrian_gate", "vehicle_gate", "hatch")]
            t = {"id": s.uid(rng.choice(["insider-staff", "disgruntled-employee", "contractor"])),
                 "based_on": "insider", "tactic": "deceit"}
            if work and rng.random() < 0.85:
                t["starts_in"] = rng.sample(work, min(len(work), rng.randint(1, 2)))
            if inner_gates:
                t["keys"] = rng.sample(inner_gates, min(len(inner_gates), rng.randint(1, 4)))
            if rng.random() < 0.6:
                t["p_deceit"] = round(rng.uniform(0.2, 0.8), 2)
            if rng.random() < 0.2:
                t["team"] = 2
            s.threats.append(t)


def site_info(s: Site, kind_label: str) -> dict:
    rng = s.rng
    town = rng.choice(TOWNS)
    info = {"id": f"{s.kind}-{s.index:05d}", "name": f"{town} {kind_label}"}
    info["timezone"] = s.maybe(0.8, rng.choice(TIMEZONES))
    if rng.random() < 0.85:
        d = _dt.date(2023, 1, 1) + _dt.timedelta(days=rng.randint(0, 1400))
        info["surveyed"] = d.isoformat()
    if rng.random() < 0.85:
        info["dark"] = {"from": hm(rng.choice([17, 17.5, 18, 18.5, 19, 19.5, 20, 21])),
                        "to": hm(rng.choice([5, 5.5, 6, 6.5, 7, 7.5]))}
    if rng.random() < 0.7:
        info["p_comm"] = rng.choice([0.8, 0.85, 0.9, 0.95, 0.98, 1.0])
    if rng.random() < 0.6:
        info["goal_p_interruption"] = rng.choice([0.6, 0.7, 0.8, 0.8, 0.9])
    if rng.random() < 0.06:
        info["goal_p_effectiveness"] = rng.choice([0.7, 0.8, 0.9])
    return clean(info)


KIND_LABELS = {"office": "office compound", "depot": "depot", "campus": "campus", "police": "police station",
               "hospital": "hospital wing", "utility": "utility plant", "school": "school"}


def generate(index: int, seed: int) -> tuple[Site, str]:
    rng = random.Random(f"gen3fleet:{seed}:{index}")
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    s = Site(rng, index, kind)
    target = int(round(rng.triangular(20, 60, 30)))
    s.info = site_info(s, KIND_LABELS[kind])
    MAKERS[kind](s, target)
    add_assets(s)
    add_posts(s)
    station = add_station(s)
    remote, onsite = add_responders(s)
    add_cameras(s, station)
    add_sensors_and_routes(s, remote, onsite)
    add_lights(s)
    add_patrols(s)
    add_surroundings(s)
    if index % 2 == 0:
        add_threats(s)
    return s, KIND_LABELS[kind]


def to_doc(s: Site) -> dict:
    doc: dict = {"site": s.info}
    if s.threats:
        doc["threats"] = s.threats
    doc["zones"] = s.zones
    for key in ("walls", "gates", "checkpoints", "patrols", "stations", "cameras", "sensors", "alarm_routes",
                "lights", "vantage_points", "vehicle_approaches"):
        val = getattr(s, key)
        if val:
            doc[key] = val
    if s.responders is not None:
        doc["responders"] = s.responders
    doc["assets"] = s.assets
    if s.waivers:
        doc["waivers"] = s.waivers
    return doc


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


def _str_q(dumper, data):
    if re.fullmatch(r"\d\d:\d\d", data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


Dumper.add_representer(str, _str_q)


def render(s: Site, label: str, seed: int) -> str:
    head = (
            f"# Generated {label} ({len(s.zones)} zones), gen3fleet seed {seed}, site {s.index}.\n"
            f"# Not a real place; facts left out are unrecorded on purpose.\n")
    body = yaml.dump(to_doc(s), Dumper=Dumper, sort_keys=False, default_flow_style=None, width=110,
                     allow_unicode=True)
    return head + body


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="first site index (default 0)")
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    for i in range(a.start, a.start + a.n):
        s, label = generate(i, a.seed)
        path = os.path.join(a.outdir, f"site-{i:05d}.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(render(s, label, a.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
