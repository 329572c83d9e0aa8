"""Time of day in 15-minute slots over a week, and plain-words descriptions of windows.

A week is 7 x 96 = 672 slots; slot ``d * 96 + s`` is day ``d`` (0 = Monday)
from ``s * 15`` minutes past midnight. Shifts that end at or before they start
run past midnight into the next day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

SLOT_MIN = 15
PER_DAY = 24 * 60 // SLOT_MIN
WEEK = 7 * PER_DAY
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def to_slot(hhmm: str, *, up: bool = False) -> int:
    """Slot of the day that a "HH:MM" time falls in (24:00 -> 96); ``up`` rounds up."""
    minutes = _minutes(hhmm)
    return -(-minutes // SLOT_MIN) if up else minutes // SLOT_MIN


def slot_time(slot: int) -> str:
    """ "HH:MM" at which ``slot`` (of the day or of the week) begins."""
    return _TIMES[slot % PER_DAY]


_TIMES = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(0, PER_DAY * SLOT_MIN, SLOT_MIN))


WEEK_MIN = 7 * 24 * 60


def minutes(start: str, end: str, days: Iterable[str] = DAYS) -> set[int]:
    """Minutes of the week inside a daily window from ``start`` to ``end`` beginning on ``days``.

    A window that ends at or before it starts runs past midnight; equal times mean 24 h.
    """
    begin, finish = _minutes(start), _minutes(end)
    duration = (finish - begin) % (24 * 60) or 24 * 60
    out: set[int] = set()
    for day in days:
        base = DAYS.index(day) * 24 * 60 + begin
        # the minutes base .. base + duration, wrapped round the end of the week
        out.update(range(base, min(base + duration, WEEK_MIN)))
        out.update(range(0, base + duration - WEEK_MIN))
    return out


def slots_of(mins: set[int], *, whole: bool = True) -> set[int]:
    """Week slots every minute of which (``whole``) or any minute of which is in ``mins``."""
    counts = [0] * WEEK  # minutes of each slot in ``mins`` (a set: each counted once)
    for m in mins:
        counts[m // SLOT_MIN] += 1
    least = SLOT_MIN if whole else 1
    return {s for s, n in enumerate(counts) if n >= least}


def span(start: str, end: str, days: Iterable[str] = DAYS, *, whole: bool = True) -> set[int]:
    """Week slots of a daily window (see ``minutes``).

    ``whole`` keeps only slots the window fills (a shift staffs a slot only if it
    covers all of it); otherwise any slot it touches counts (a slot partly dark is dark).
    Windows on consecutive days join up: a 24-hour shift at 07:50 every day leaves no gap.
    """
    return slots_of(minutes(start, end, days), whole=whole)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def parse_at(at: str) -> tuple[int | None, int]:
    """'19:00' -> (None, slot of day); 'fri 19:00' -> (4, slot of day). ValueError if malformed."""
    import re

    m = re.fullmatch(
        r"\s*(?:(mon|tue|wed|thu|fri|sat|sun)\s+)?([01][0-9]|2[0-3]):([0-5][0-9])\s*", at
    )
    if not m:
        raise ValueError(f'expected "HH:MM" or "DAY HH:MM" (e.g. "19:00", "fri 19:00"), got {at!r}')
    day = DAYS.index(m.group(1)) if m.group(1) else None
    return day, to_slot(f"{m.group(2)}:{m.group(3)}")


def moment(at: str | None) -> list[int]:
    """Slots judged: all 672, the given time on each of the 7 days, or one day's time."""
    if at is None:
        return list(range(WEEK))
    day, s = parse_at(at)
    days = range(7) if day is None else [day]
    return [d * PER_DAY + s for d in days]


def label(slot: int) -> str:
    """'fri 19:00' for a week slot."""
    return f"{DAYS[slot // PER_DAY]} {slot_time(slot)}"


def _day_set(days: Sequence[int]) -> str:
    names = [DAYS[d] for d in sorted(set(days))]
    if len(names) == 7:
        return "every day"
    if names == list(DAYS[:5]):
        return "on weekdays (mon-fri)"
    if names == ["sat", "sun"]:
        return "at weekends"
    if names == list(DAYS[:6]):
        return "mon-sat"
    return "on " + ", ".join(names)


def windows(mask: Iterable[int], judged: Iterable[int] | None = None) -> str:
    """Describe a set of week slots in words: '18:00-08:00 every day', 'at all hours'."""
    judged_set = _ALL_SLOTS if judged is None else _as_set(judged)
    slots = _as_set(mask) & judged_set
    if not slots:
        return "never"
    if len(judged_set) < WEEK:
        times = sorted({s % PER_DAY for s in slots})
        days = sorted({s // PER_DAY for s in slots})
        return f"at {', '.join(slot_time(t) for t in times)} {_day_set(days)}"
    if slots == judged_set:
        return "at all hours"
    groups: dict[tuple[int, int], list[int]] = {}
    for s, n in _runs(slots):
        groups.setdefault((s % PER_DAY, n), []).append(s // PER_DAY)
    parts = []
    for (tod, n), days in sorted(groups.items(), key=lambda kv: (min(kv[1]), kv[0])):
        end = (tod + n) % PER_DAY
        if n < PER_DAY:
            end_txt = "24:00" if end == 0 else slot_time(end)
            parts.append(f"{slot_time(tod)}-{end_txt} {_day_set(days)}")
        else:
            for d in days:
                last = (d * PER_DAY + tod + n) % WEEK
                parts.append(
                    f"from {DAYS[d]} {slot_time(tod)} to {DAYS[last // PER_DAY]} {slot_time(last)}"
                )
    return "; ".join(parts)


_ALL_SLOTS = frozenset(range(WEEK))


def _as_set(slots: Iterable[int]) -> set[int] | frozenset[int]:
    return slots if isinstance(slots, set | frozenset) else set(slots)


def _runs(slots: set[int] | frozenset[int]) -> list[tuple[int, int]]:
    """(first slot, length) of each run of consecutive slots, round the end of the week, in
    order of first slot; ``slots`` neither empty nor the whole week. From where runs start
    and end, not slot by slot round the week: the checks describe thousands of windows."""
    ordered = sorted(slots)
    starts = [s for s in ordered if (s - 1) % WEEK not in slots]
    ends = [s for s in ordered if (s + 1) % WEEK not in slots]
    if ends[0] < starts[0]:  # the first run to end is the last to start: it wraps round
        ends = ends[1:] + ends[:1]
    return [(s, (e - s) % WEEK + 1) for s, e in zip(starts, ends, strict=True)]
