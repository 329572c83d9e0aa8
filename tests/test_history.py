"""Audit history: runs recorded in SQLite (and PostgreSQL when CI provides one) give the
lapse ages, fix times and trends their schedule implies; writes are whole or nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import ROOT, run_cli

from audit.history import schema, store, views
from audit.history.records import LapseRecord, MetricRecord, SiteRecord, WaiverRecord

PG = os.environ.get("SITEAUDIT_TEST_POSTGRES")
SEVS = ["critical", "high", "medium", "low"]
START = dt.date(2026, 11, 1)
NIGHTS = 30
SITES = 200


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    if not PG:
        pytest.skip("no PostgreSQL: set SITEAUDIT_TEST_POSTGRES (.ci/run starts one)")
    engine = store.engine_for(PG)
    with engine.begin() as conn:
        schema.metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS meta")
    engine.dispose()
    return PG


def _intervals(i: int) -> list[tuple[int, str, int, int]]:
    """The schedule: (lapse k, severity, first night, first night without it) of site i."""
    out = []
    for k in range(4):
        start = (i * 3 + k * 5) % 20
        end = start + 1 + (i + k) % 9
        out.append((k, SEVS[k], start, end))
        if k == 3 and i % 10 == 0:  # every tenth site's low lapse comes back
            out.append((k, SEVS[k], end + 2, end + 5))
    return out


def _open(i: int, night: int) -> dict[int, str]:
    return {k: sev for k, sev, a, b in _intervals(i) if a <= night < b}


def _night(n: int) -> list[SiteRecord]:
    records = []
    for i in range(SITES):
        lapses = tuple(
            LapseRecord(f"{i:03d}{k}", f"R-{k}", sev, f"el-{k}", False, False)
            for k, sev in sorted(_open(i, n).items())
        )
        p_e = 0.5 if 0 in _open(i, n) else 0.95
        metrics = (MetricRecord("vault", "dbt", 0.9, p_e, 0.9),)
        waivers = (WaiverRecord("R-9", "el-9", "ops", START + dt.timedelta(days=40 + i % 30)),)
        records.append(
            SiteRecord(f"s{i:03d}", f"sites/s{i:03d}.yaml", True, lapses, metrics, waivers)
        )
    return records


def _record_schedule(target: str) -> None:
    engine = store.engine_for(target)
    for n in range(NIGHTS):
        day = START + dt.timedelta(days=n)
        run = store.RunInfo(day, f"{day}T02:00:00+00:00", None, "test", "digest")
        store.record(engine, run, _night(n))
    engine.dispose()


def test_thirty_nights_give_the_ages_fix_times_and_trend_the_schedule_implies(target):
    _record_schedule(target)
    today = START + dt.timedelta(days=NIGHTS - 1)
    engine = store.engine_for(target)
    with store.reading(engine) as conn:
        ages = views.ages(conn, today, limit=10_000)
        trend = views.trend(conn, today, weeks=6)
        movers = views.movers(conn, START + dt.timedelta(days=14), today, limit=1000)
        expiring = views.expiring(conn, today, within_days=20)
    engine.dispose()

    # what the schedule says, computed from the schedule alone
    def day(n):
        return START + dt.timedelta(days=n)

    fixes, still_open, reopened = [], [], 0
    for i in range(SITES):
        runs = _intervals(i)
        reopened += len(runs) - 4
        for k, _sev, a, b in runs:
            if b < NIGHTS:
                fixes.append(b - a)
            else:
                still_open.append((f"s{i:03d}", f"R-{k}", (today - day(a)).days))
    assert ages.closed == len(fixes)
    assert ages.median_days_to_fix == statistics.median(fixes)
    assert ages.mean_days_to_fix == round(statistics.fmean(fixes), 2)
    assert ages.reopened == reopened
    assert sorted((x.site, x.rule, x.age_days) for x in ages.open) == sorted(still_open)
    again = {(x.site, x.rule) for x in ages.open if x.times_opened == 2}
    assert again == {(s, r) for s, r, _ in still_open if r == "R-3" and int(s[1:]) % 10 == 0}

    last_of_week = {}
    for n in range(NIGHTS):
        y, w, _ = day(n).isocalendar()
        last_of_week[f"{y}-W{w:02d}"] = n
    expected = []
    for label, n in sorted(last_of_week.items()):
        counts = dict.fromkeys([*SEVS, "info"], 0)
        below = 0
        for i in range(SITES):
            for sev in _open(i, n).values():
                counts[sev] += 1
            below += 0 in _open(i, n)
        expected.append((label, day(n), counts, SITES, below))
    assert [(w.week, w.as_of, w.open, w.sites, w.sites_below_goal) for w in trend] == expected

    # movers: each site's change in weighted open lapses between night 14 and the last
    for m in movers:
        i = int(m.site[1:])
        assert m.before == {**dict.fromkeys([*SEVS, "info"], 0), **_count(_open(i, 14))}
        assert m.after == {**dict.fromkeys([*SEVS, "info"], 0), **_count(_open(i, NIGHTS - 1))}
    changes = [m.change for m in movers]
    assert changes == sorted(changes, reverse=True)
    moved = {
        f"s{i:03d}"
        for i in range(SITES)
        if _count(_open(i, 14)) != _count(_open(i, NIGHTS - 1))
        or (0 in _open(i, 14)) != (0 in _open(i, NIGHTS - 1))
    }
    assert {m.site for m in movers} == moved

    horizon = today + dt.timedelta(days=20)
    want = sorted(
        (START + dt.timedelta(days=40 + i % 30), f"s{i:03d}")
        for i in range(SITES)
        if START + dt.timedelta(days=40 + i % 30) <= horizon
    )
    assert [(w.expires, w.site) for w in expiring] == want


def _count(open_lapses: dict[int, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for sev in open_lapses.values():
        out[sev] = out.get(sev, 0) + 1
    return out


def test_prune_keeps_first_and_last_sightings(target):
    _record_schedule(target)
    today = START + dt.timedelta(days=NIGHTS - 1)
    engine = store.engine_for(target)
    with store.reading(engine) as conn:
        before = views.ages(conn, today, limit=10_000)
    gone = store.prune(engine, older_than_days=7, today=today)
    assert gone == NIGHTS - 8
    with store.reading(engine) as conn:
        after = views.ages(conn, today, limit=10_000)
        kept = views.timeline(conn, "s000")
    engine.dispose()
    assert after == before
    assert [r.run_date for r in kept] == [START + dt.timedelta(days=n) for n in range(22, 30)]


SITE = """\
site: {{id: {id}, name: Depot {id}}}
zones: [{{id: road, kind: public}}, {{id: yard, kind: compound}}]
gates: [{{id: g, kind: vehicle_gate, between: [road, yard], locked: {locked}}}]
"""


def _fleet(folder, locked):
    folder.mkdir(exist_ok=True)
    for i, lock in enumerate(locked):
        (folder / f"d{i}.yaml").write_text(
            SITE.format(id=f"d{i}", locked=str(lock).lower()), encoding="utf-8"
        )


def test_check_record_and_history_end_to_end(tmp_path):
    sites, db = tmp_path / "sites", tmp_path / "h.db"
    _fleet(sites, [False, False])
    first = run_cli("check", str(sites), "--record", str(db), "--today", "2026-11-02")
    assert first.returncode == 1 and f"wrote {db}: run 1 with 2 site file(s)" in first.stderr
    _fleet(sites, [True, False])  # d0's gate is now locked: its lapse closes
    run_cli("check", str(sites), "--record", str(db), "--today", "2026-11-05", "-q")
    out = run_cli("history", str(db), "--today", "2026-11-05", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    gate = [x for x in data["ages"]["open"] if x["rule"] == "SA-GATE-002"]
    assert [(x["site"], x["age_days"]) for x in gate] == [("d1", 3)]
    assert data["ages"]["closed"] >= 1 and data["ages"]["median_days_to_fix"] == 3.0
    text = run_cli("history", str(db), "--site", "d0", "--today", "2026-11-05").stdout
    assert "-SA-GATE-002 g" in text
    bad = run_cli("history", str(db), "--site", "d00")
    assert bad.returncode == 2 and 'did you mean "d0"' in bad.stderr
    html = tmp_path / "h.html"
    ok = run_cli("history", str(db), "--today", "2026-11-05", "--format", "html", "-o", str(html))
    assert ok.returncode == 0 and "<svg" in html.read_text() and "SA-GATE-002" in html.read_text()
    # the same question twice gives the same bytes
    again = run_cli("history", str(db), "--today", "2026-11-05", "--format", "json").stdout
    assert again == out.stdout


def test_a_file_that_fails_to_load_closes_nothing(tmp_path):
    sites, db = tmp_path / "sites", tmp_path / "h.db"
    _fleet(sites, [False])
    run_cli("check", str(sites), "--record", str(db), "--today", "2026-11-02", "-q")
    (sites / "d0.yaml").write_text("site: {id: d0\n", encoding="utf-8")
    run_cli("check", str(sites), "--record", str(db), "--today", "2026-11-03", "-q")
    data = json.loads(
        run_cli("history", str(db), "--today", "2026-11-03", "--format", "json").stdout
    )
    assert data["ages"]["closed"] == 0 and data["ages"]["open"]


def test_two_writers_at_once_both_land(tmp_path, target):
    import sqlalchemy as sa

    sites = tmp_path / "sites"
    _fleet(sites, [False, True, False])
    cmd = [sys.executable, "-m", "audit", "check", str(sites), "--record", target, "-q", "-j", "1"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)
    ]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [1, 1], errs
    engine = store.engine_for(target)
    with engine.connect() as con:
        assert con.execute(sa.text("select count(*) from runs")).scalar() == 2
        assert con.execute(sa.text("select count(*) from site_runs")).scalar() == 6
        # one open interval per lapse, however the two runs interleaved
        dupes = con.execute(
            sa.text(
                "select count(*) from lapses where closed_run is null "
                "group by site, fingerprint having count(*) > 1"
            )
        ).all()
    engine.dispose()
    assert dupes == []


KILLED = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from audit.history import store
    from audit.history.records import LapseRecord, SiteRecord

    def sites():
        yield SiteRecord("a", "a.yaml", True, (LapseRecord("f", "R", "high", "e", False, False),))
        print("half written", flush=True)
        time.sleep(600)
        yield SiteRecord("b", "b.yaml", True)

    run = store.RunInfo(dt.date(2026, 11, 3), "x", None, "t", "d")
    store.record(store.engine_for(sys.argv[1]), run, sites())
    """
)


def test_a_run_killed_mid_write_leaves_the_database_as_it_was(tmp_path):
    db = tmp_path / "h.db"
    engine = store.engine_for(str(db))
    store.record(engine, store.RunInfo(dt.date(2026, 11, 2), "x", None, "t", "d"), _night(0)[:3])
    engine.dispose()
    before = _dump(db)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(db)], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    assert proc.stdout.readline().strip() == "half written"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _dump(db) == before
    # and the database takes the next run at once (the killed writer's lock is gone)
    started = time.monotonic()
    engine = store.engine_for(str(db))
    store.record(engine, store.RunInfo(dt.date(2026, 11, 4), "x", None, "t", "d"), _night(1)[:3])
    engine.dispose()
    assert time.monotonic() - started < store.BUSY_TIMEOUT_S


def _dump(db) -> list:
    con = sqlite3.connect(db)
    rows = [
        (t, con.execute(f"select * from {t} order by 1, 2").fetchall())  # noqa: S608 - our tables
        for t in ("runs", "site_runs", "lapses", "metrics", "waivers", "meta")
    ]
    con.close()
    return rows


def test_a_later_version_opens_an_older_database(tmp_path, monkeypatch):
    import sqlalchemy as sa

    db = tmp_path / "h.db"
    engine = store.engine_for(str(db))
    store.record(engine, store.RunInfo(dt.date(2026, 11, 2), "x", None, "t", "d"), _night(0)[:2])
    engine.dispose()

    def add_note(conn):
        conn.execute(sa.text("ALTER TABLE runs ADD COLUMN note VARCHAR(200)"))

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_note])
    monkeypatch.setattr(schema, "LATEST", len(schema.MIGRATIONS))
    engine = store.engine_for(str(db))
    with store.reading(engine) as conn:
        assert (
            [r.site for r in views.timeline(conn, "s000")]
            if False
            else views.sites(conn) == ["s000", "s001"]
        )
    engine.dispose()
    con = sqlite3.connect(db)
    assert con.execute("select value from meta").fetchone() == (str(schema.LATEST),)
    assert "note" in [c[1] for c in con.execute("pragma table_info(runs)")]
    con.close()


def test_a_newer_database_is_refused(tmp_path):
    db = tmp_path / "h.db"
    engine = store.engine_for(str(db))
    store.record(engine, store.RunInfo(dt.date(2026, 11, 2), "x", None, "t", "d"), _night(0)[:1])
    engine.dispose()
    con = sqlite3.connect(db)
    con.execute("update meta set value = '99'")
    con.commit()
    con.close()
    out = run_cli("history", str(db))
    assert out.returncode == 2 and "newer than this siteaudit reads" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_databases_are_clear_errors_and_untouched(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, just bytes\n" * 100)
    before = junk.read_bytes()
    for args in (
        ["history", str(junk)],
        ["check", str(ROOT / "sites" / "reference-depot.yaml"), "--record", str(junk)],
    ):
        out = run_cli(*args)
        assert out.returncode == 2, out.stderr
        assert "database error" in out.stderr and "Traceback" not in out.stderr
    assert junk.read_bytes() == before
    missing = run_cli("history", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no such history database" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    scheme = run_cli("history", "mysql://x/y")
    assert scheme.returncode == 2 and "unknown database 'mysql'" in scheme.stderr


@pytest.mark.parametrize("width", [390, 1280])
def test_history_page_reads_on_a_phone_and_passes_axe(tmp_path, width):
    """The HTML history in Debian's Chromium: no serious or critical axe-core violation, and
    nothing wider than the screen at phone width."""
    from playwright.sync_api import sync_playwright
    from test_reports import _axe, _launch

    axe = _axe()
    _record_schedule(str(tmp_path / "h.db"))
    page_file = tmp_path / "history.html"
    out = run_cli(
        "history",
        str(tmp_path / "h.db"),
        "--today",
        "2026-11-30",
        "--format",
        "html",
        "-o",
        str(page_file),
    )
    assert out.returncode == 0, out.stderr
    with sync_playwright() as p:
        browser = _launch(p)
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(page_file.as_uri())
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document)")
        browser.close()
    assert overflow <= 0
    bad = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def test_records_built_in_the_worker_before_slimming_are_those_of_the_kept_analysis(tmp_path):
    """``check --record`` need not keep every site's analysis until the run ends: each
    record is built in its worker (``Job.record``) and the result slimmed; the records are
    those built at the end from kept analyses, with and without worker processes, and the
    slimmed results hold no model."""
    from audit.app.batch import Job, audit_many
    from audit.app.record import records_of

    sites = tmp_path / "sites"
    _fleet(sites, [False, True, False])
    for name in ("reference-bank-branch", "riverside-school"):  # threats, P(E), waivers
        (sites / f"{name}.yaml").write_bytes((ROOT / "sites" / f"{name}.yaml").read_bytes())
    (sites / "broken.yaml").write_text("site: {id: x\n", encoding="utf-8")
    files = sorted(str(p) for p in sites.glob("*.yaml"))
    base = ((), True, (), (), None, dt.date(2026, 11, 2))  # the shipped checklists, every hour
    kept = audit_many(files, Job(*base, keep_model=True))
    expected = list(records_of(kept))
    assert any(m.threat for r in expected for m in r.metrics)  # P(E) rows are compared too
    for jobs in (1, 2):
        slim = audit_many(files, Job(*base, keep_model=False, record=True), jobs=jobs)
        assert all(r.model is None and r.frozen_analysis is None for _, r, p in slim if not p)
        assert list(records_of(slim)) == expected


def test_a_text_run_and_a_json_run_record_the_same(tmp_path):
    """``check --record`` in text folds each site as it finishes and keeps only its record;
    with ``--format json`` every result is kept: the database must not tell them apart."""
    sites = tmp_path / "sites"
    _fleet(sites, [False, True])
    (sites / "bad.yaml").write_text("site: {id: bad\n", encoding="utf-8")
    dumps = []
    for fmt in ("text", "json"):
        db = tmp_path / f"{fmt}.db"
        run = run_cli(
            "check",
            str(sites),
            "--record",
            str(db),
            "--today",
            "2026-11-02",
            "--format",
            fmt,
            "-o",
            str(tmp_path / f"out.{fmt}"),
        )
        assert "run 1 with 3 site file(s)" in run.stderr, run.stderr
        out = run_cli("history", str(db), "--today", "2026-11-02", "--format", "json")
        assert out.returncode == 0, out.stderr
        dumps.append(out.stdout)
    assert dumps[0] == dumps[1]
