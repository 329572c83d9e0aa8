"""Week slots and the words that describe them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit.site.schedule import DAYS, PER_DAY, WEEK, moment, parse_at, span, windows

times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
day_sets = st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)


def _minutes(t: str) -> int:
    return int(t[:2]) * 60 + int(t[3:])


@given(times, times, day_sets)
def test_span_matches_minute_by_minute(start, end, days):
    """A slot is in the whole-slot span iff every minute of it is in the window."""
    duration = (_minutes(end) - _minutes(start)) % 1440 or 1440
    inside = set()
    for day in days:
        base = DAYS.index(day) * 1440 + _minutes(start)
        inside.update((base + k) % (7 * 1440) for k in range(duration))
    whole = {s for s in range(WEEK) if all(s * 15 + k in inside for k in range(15))}
    touched = {s for s in range(WEEK) if any(s * 15 + k in inside for k in range(15))}
    assert span(start, end, days) == whole
    assert span(start, end, days, whole=False) == touched


@given(times, times)
def test_touching_window_covers_the_whole_one(start, end):
    assert span(start, end) <= span(start, end, whole=False)


@given(st.sets(st.integers(0, WEEK - 1)))
def test_windows_never_crash_and_name_the_extremes(slots):
    text = windows(slots)
    if not slots:
        assert text == "never"
    elif len(slots) == WEEK:
        assert text == "at all hours"
    else:
        assert text and "never" not in text


def test_known_descriptions():
    week = set(range(WEEK))
    assert windows(week - span("08:00", "18:00")) == "18:00-08:00 every day"
    office = week - span("09:00", "17:00", DAYS[:5])
    assert windows(office) == "17:00-09:00 on mon, tue, wed, thu; from fri 17:00 to mon 09:00"
    assert windows(span("22:00", "06:00", ["sat", "sun"])) == "22:00-06:00 at weekends"
    assert windows(week - span("00:00", "24:00")) == "never"
    assert windows({s for s in moment("19:00")}, moment("19:00")) == "at 19:00 every day"


def test_parse_at():
    assert parse_at("fri 19:00") == (4, 76)
    assert parse_at("07:30") == (None, 30)
    assert moment("sun 00:00") == [6 * PER_DAY]
    for bad in ("7pm", "24:00", "fri", "friday 19:00", "19:60"):
        try:
            parse_at(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_daily_24h_shift_at_odd_time_leaves_no_gap(write_site):
    from audit.graph.coverage import Watch
    from audit.site.load import load_site

    path = write_site(
        """\
        site: {id: t, name: T}
        zones: [{id: road, kind: public}, {id: yard, kind: compound}]
        gates: [{id: g, kind: door, between: [road, yard]}]
        checkpoints:
          - {id: a, at: g, shifts: [{from: "07:50", to: "07:50", hours: 24, guards: 1}]}
          - id: b
            at: g
            shifts:
              - {from: "08:00", to: "16:07", guards: 1}
              - {from: "16:07", to: "08:00", guards: 1}
          - {id: c, at: g, shifts: [{from: "08:00", to: "16:07", guards: 1}]}
        """
    )
    site = load_site(path)
    w = Watch(site)
    a, b, c = site.checkpoints
    assert len(w.staffed(a)) == WEEK
    assert len(w.staffed(b)) == WEEK
    assert windows(set(range(WEEK)) - w.staffed(c)) == "16:00-08:00 every day"
