"""Family 15, JSON input bounded as YAML is: ``geometry import`` (GeoJSON) and baselines.

One reader (``audit.common.jsonfile``) checks bytes, nesting, values, numbers and duplicate
keys before the standard parser runs, and says where: 100,000 levels of nesting were a
``RecursionError``, a 5,000-digit integer an internal error, ``NaN``, ``Infinity`` and
``1e400`` were written into the site file as ``.nan``/``.inf``, and of two equal keys the
last silently won. A feature whose geometry is not an object, or a line longer than a site
file may hold, is refused with what was expected.
"""

from __future__ import annotations

import json

import pytest
from hostile import error_lines, siteaudit


def _collection(features: str) -> str:
    return '{"type": "FeatureCollection", "features": [' + features + "]}"


POINT = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": %s}, "properties": %s}'


@pytest.mark.parametrize(
    "text, where, says",
    [
        ("[" * 100_000 + "]" * 100_000, ":1:65:", "nesting deeper than 64 levels"),
        (
            _collection(POINT % ("[1, 2]", '{"a": ' * 900 + "1" + "}" * 900)),
            ":1:",
            "nesting deeper than 64 levels",
        ),
        (_collection(POINT % ("[1, " + "9" * 5000 + "]", "{}")), ":1:", "more than 400 digits"),
        (_collection(POINT % ("[NaN, 1]", "{}")), ":1:", "NaN is not a JSON number"),
        (_collection(POINT % ("[Infinity, 1]", "{}")), ":1:", "Infinity is not a JSON number"),
        (_collection(POINT % ("[1e400, 1]", "{}")), ":1:", "1e400 is too large"),
        (
            '{"type": "FeatureCollection",\n "type": "x", "features": []}',
            ":2:2:",
            'duplicate key "type" (first given at line 1)',
        ),
        (
            _collection('{"type": "Feature", "geometry": [1], "properties": {}}'),
            ":1:1:",
            "feature 1: geometry: expected an object",
        ),
        (
            _collection(POINT % ('["a", 1]', '{"section": "gates"}')),
            ":1:1:",
            "feature 1: coordinates: expected a Point of [x, y] numbers",
        ),
    ],
    ids=[
        "deep",
        "deep-properties",
        "digits",
        "nan",
        "infinity",
        "1e400",
        "duplicate",
        "geometry-list",
        "coordinates",
    ],
)
def test_bad_geojson_is_a_clear_error(tmp_path, text, where, says):
    path = tmp_path / "plan.geojson"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "site.yaml"
    proc = siteaudit("geometry", "import", path, "-o", out, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = error_lines(proc)
    assert len(lines) == 1 and lines[0].startswith(f"{path}{where}"), lines
    assert says in lines[0]
    assert not out.exists()


def test_values_are_bounded_before_parsing(tmp_path):
    """A LineString of 2.8 M points took 89 s and 3.3 GB: now refused at the value limit."""
    path = tmp_path / "plan.geojson"
    coords = ",".join(["[1,2]"] * 400_000)
    path.write_text(
        _collection(
            '{"type": "Feature", "geometry": {"type": "LineString", "coordinates": ['
            + coords
            + ']}, "properties": {"section": "walls"}}'
        )
    )
    proc = siteaudit("geometry", "import", path, cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert "more than 1000000 JSON values" in proc.stderr


def test_a_line_longer_than_a_site_file_holds_is_refused(tmp_path):
    path = tmp_path / "plan.geojson"
    coords = json.dumps([[i, i % 2] for i in range(10_001)])
    path.write_text(
        _collection(
            '{"type": "Feature", "geometry": {"type": "LineString", "coordinates": '
            + coords
            + '}, "properties": {"section": "walls", "id": "w"}}'
        )
    )
    proc = siteaudit("geometry", "import", path, cwd=tmp_path)
    assert proc.returncode == 2
    assert "feature 1: 10001 points; a site file's line or outline has at most 10000" in (
        proc.stderr
    )
