"""Family 14, numbers and types on every input surface: ``improve``'s options and costs file.

A number from outside is finite, in its range, and refused with its unit when it is not
(``audit.common.numbers``): NaN passed ``--goal`` (a CI gate passed a site with P(E) 0),
``inf`` reached JSON as ``Infinity``, a costs file's ``.nan`` gave NaN costs and exit 0, a
4,000-digit cost an internal error. A costs file's every field has its type (a currency
of ``[1, 2]`` or an HTML tag is refused) and what it prints is escaped.
"""

from __future__ import annotations

import json

import pytest
from hostile import STARTER, error_lines, siteaudit


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(STARTER.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "option, value, says",
    [
        ("--goal", "nan", "expected a finite number (probability) from 0 to 1"),
        ("--goal", "inf", "from 0 to 1"),
        ("--goal", "-0.5", "from 0 to 1"),
        ("--budget", "nan", "expected a finite number (per year"),
        ("--budget", "inf", "expected a finite number (per year"),
        ("--budget", "1e309", 'got "1e309"'),
        ("--budget", "9" * 5000, "expected a finite number"),
        ("--max-evaluations", "1e99", "expected a whole number (site versions)"),
        ("--max-evaluations", "0", "from 1 to"),
    ],
)
def test_improve_options_are_finite_and_in_range(site, option, value, says):
    proc = siteaudit("improve", site, option, value, "--goals-only", cwd=site.parent)
    assert proc.returncode == 2, proc.stdout
    assert says in proc.stderr
    assert "goal nan" not in proc.stdout and "Infinity" not in proc.stdout


@pytest.mark.parametrize(
    "costs, where, says",
    [
        ("costs:\n  lock:\n    capital: .nan\n", ":3:14:", "expected a finite number"),
        ("costs:\n  lock:\n    yearly: .inf\n", ":3:13:", "expected a finite number"),
        ("costs:\n  lock:\n    capital: " + "9" * 4000 + "\n", ":3:14:", "finite number"),
        ("costs:\n  lock:\n    capital: 1e13\n", ":3:14:", "(currency units) from 0 to 1e+12"),
        ("costs:\n  lock:\n    life_years: 0\n", ":3:17:", "(years) above 0 to 1000"),
        ("costs:\n  lock:\n    capital: true\n", ":3:14:", "expected a finite number"),
        ("currency: [1, 2]\n", ":1:11:", "currency: expected text of 1 to 12 characters"),
        ("currency: '<img src=x onerror=alert(1)>'\n", ":1:11:", "expected text of 1 to 12"),
        ('currency: "EUR\\x1b[31m"\n', ":1:11:", "control characters are not allowed"),
        ("version: evil\n", ":1:10:", "expected version 1"),
        ("costs:\n  lock:\n    description: {a: 1}\n", ":3:18:", "expected text"),
        ("costs:\n  lock:\n    per: [1]\n", ":3:10:", "expected one of metre, guard, member"),
        ("costs:\n  lock:\n    capital: 1\n    capital: 2\n", ":4:5:", 'duplicate key "capital"'),
    ],
)
def test_costs_file_types_and_numbers(site, costs, where, says):
    path = site.parent / "costs.yaml"
    path.write_text(costs, encoding="utf-8")
    proc = siteaudit("improve", site, "--costs", path, cwd=site.parent)
    assert proc.returncode == 2, proc.stdout
    lines = error_lines(proc)
    assert len(lines) == 1 and lines[0].startswith(f"{path}{where} error:"), lines
    assert says in lines[0]
    assert "\x1b" not in proc.stderr


def test_currency_is_escaped_in_every_format(site):
    path = site.parent / "costs.yaml"
    path.write_text("currency: '<b>*$*</b>|'\n", encoding="utf-8")
    md = siteaudit("improve", site, "--costs", path, "--format", "markdown", cwd=site.parent)
    assert md.returncode in (0, 1), md.stderr
    assert "<b>" not in md.stdout and "&lt;b&gt;\\*$\\*&lt;/b&gt;\\|" in md.stdout
    html = siteaudit("improve", site, "--costs", path, "--format", "html", cwd=site.parent)
    assert "<b>*$*</b>" not in html.stdout
    out = site.parent / "plan.json"
    proc = siteaudit(
        "improve", site, "--costs", path, "--format", "json", "-o", out, cwd=site.parent
    )
    assert json.loads(out.read_text())["currency"] == "<b>*$*</b>|"
    assert "wrote" in proc.stderr
