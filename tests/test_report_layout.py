"""The HTML reports a person forwards, in real Chromium: at a phone's, a tablet's and a
desktop's width nothing runs off the screen, no two labels are drawn over each other, no label
is drawn below the minimum size, and axe-core still finds nothing serious; on paper (A4 and
Letter) every heading stays with what follows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import LAYOUT_AUDIT, axe_path, launch
from conftest import KPO, SITES, run_cli

from audit.report.formats.html import MIN_LABEL_PX

pytestmark = pytest.mark.slow
WIDTHS = (390, 768, 1280)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _page(kind: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{kind}.html"
    if kind == "kpo-check":
        args = ["check", str(KPO), "--today", "2026-11-25", "--format", "html"]
    elif kind == "kpo-improve":
        args = ["improve", str(KPO), "--format", "html"]
    else:
        args = ["check", str(SITES / f"{kind}.yaml"), "--today", "2026-11-25", "--format", "html"]
    result = run_cli(*args, "-o", str(out))
    assert result.returncode in (0, 1), result.stderr
    return out


@pytest.mark.parametrize("kind", ["kpo-check", "kpo-improve", "reference-walled-compound"])
def test_report_reads_at_phone_tablet_and_desktop_width(kind, tmp_path):
    from playwright.sync_api import sync_playwright

    page_file = _page(kind, tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    found = {}
    with sync_playwright() as p:
        browser = launch(p)
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            found[width] = page.evaluate(LAYOUT_AUDIT, MIN_LABEL_PX)
            page.screenshot(path=str(ARTIFACTS / f"{kind}-{width}.png"), full_page=True)
            if width == WIDTHS[0]:
                page.add_script_tag(path=str(axe_path()))
                result = page.evaluate("async () => await axe.run(document)")
                bad = [
                    (v["id"], [n["target"] for n in v["nodes"]][:3])
                    for v in result["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
                assert not bad, bad
            page.close()
        browser.close()
    for width, f in found.items():
        assert f["texts"] > 20, (width, f)
        assert not f["overflow"], (width, f["overflow"])
        assert not f["overlaps"], (width, f["overlaps"])
        assert not f["small"], (width, f["small"])


def test_findings_become_cards_on_a_phone_and_stay_a_table_on_a_desktop(tmp_path):
    from playwright.sync_api import sync_playwright

    page_file = _page("kpo-check", tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        shapes = {}
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            shapes[width] = page.evaluate(
                """() => { const row = document.querySelector('table.findings tbody tr');
                const cells = [...row.children].map(c => c.getBoundingClientRect());
                const where = row.querySelector('td[data-label="where"]');
                return {display: getComputedStyle(row).display,
                        lefts: new Set(cells.map(c => Math.round(c.left))).size,
                        label: getComputedStyle(where, '::before').content,
                        whereLines: where.firstElementChild.getClientRects().length}; }"""
            )
            page.close()
        browser.close()
    phone, desk = shapes[390], shapes[1280]
    assert phone["display"] == "block" and phone["lefts"] == 1
    assert phone["label"] == '"where: "'
    assert desk["display"] == "table-row" and desk["lefts"] == 8
    assert desk["label"] in ("none", "normal")
    assert desk["whereLines"] == phone["whereLines"] == 1  # "line 113", never "1" / "13"


BLOCKS = """() => {
  const textOf = el => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const out = [];
    let n;
    while ((n = walk.nextNode())) {
      const t = n.textContent.trim();
      if (t && !n.parentElement.closest('title, style')) out.push(t);
    }
    return out;
  };
  const skip = e => e.matches('.lead, .legend, h1, h2, h3') || textOf(e).length === 0;
  const after = h => {
    for (let e = h; e; e = e.parentElement) {
      for (let s = e.nextElementSibling; s; s = s.nextElementSibling) if (!skip(s)) return s;
    }
    return null;
  };
  const headings = [...document.querySelectorAll('h1, h2, h3')].map(h => {
    const next = after(h);
    return [h.textContent.trim(), next ? textOf(next)[0] : null];
  });
  const keeps = [...document.querySelectorAll('.keep')].map(k => {
    const texts = textOf(k).filter(t => t.length >= 3);
    return [texts.slice(0, 2).join(' '), texts[texts.length - 1]];
  });
  return {headings, keeps};
}"""


def _norm(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printed_report_keeps_headings_with_their_content_and_drawings_whole(paper, tmp_path):
    import io

    import pypdf
    from playwright.sync_api import sync_playwright

    page_file = _page("kpo-check", tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_file.as_uri())
        page.emulate_media(media="print")
        blocks = page.evaluate(BLOCKS)
        pdf = page.pdf(format=paper, print_background=True, prefer_css_page_size=True)
        browser.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"kpo-{paper}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape, the paper's own size
    pages = [_norm(pg.extract_text()) for pg in reader.pages]
    assert 2 <= len(pages) <= 12, len(pages)

    def page_of(text: str, start: int) -> int:
        return next(i for i in range(start, len(pages)) if _norm(text)[:40] in pages[i])

    at = 0
    assert len(blocks["headings"]) > 8
    for heading, follows in blocks["headings"]:
        at = page_of(heading, at)
        if follows is not None:
            here = pages[at]
            assert _norm(follows)[:30] in here[here.index(_norm(heading)[:40]) :], (
                f"{heading!r} ends page {at + 1}; {follows!r} starts the next"
            )
    at = 0
    assert len(blocks["keeps"]) > 4
    for first, last in blocks["keeps"]:
        at = page_of(first, at)
        assert _norm(last)[:40] in pages[at], f"{first!r} is split after page {at + 1}"
