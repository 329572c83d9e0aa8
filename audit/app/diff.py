"""Compare two versions of a site file: findings added and removed, P(I) before and after.

Either side may be ``FILE@REV``: the file as it was at a git revision
(``git show REV:FILE``), e.g. ``sites/kpo.yaml@HEAD~1`` or ``sites/kpo.yaml@main``.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.common import files
from audit.common.errors import Problem, SiteError, excerpt


def read_spec(spec: str) -> tuple[str, bytes]:
    """(display name, bytes) of a file or ``FILE@REV``."""
    path, sep, rev = spec.rpartition("@")
    if not sep or not path or Path(spec).exists():
        return spec, files.read_bytes(spec, what="site file")
    if rev.startswith("-") or not rev or any(c in rev for c in "\0\n"):
        raise SiteError(
            [Problem(spec, 1, 1, f"{excerpt(rev)} is not a git revision; expected e.g. HEAD~1")]
        )
    p = Path(path)
    where = p.parent if str(p.parent) else Path(".")
    if not where.is_dir():
        raise SiteError([Problem(spec, 1, 1, f"cannot read {path}: its folder does not exist")])
    git = shutil.which("git")
    if git is None:
        raise SiteError([Problem(spec, 1, 1, "git is not installed; cannot read FILE@REV")])
    try:
        # fixed argument lists, no shell, and --end-of-options: the revision reaches git as data
        top = subprocess.run(  # noqa: S603
            [git, "rev-parse", "--show-toplevel"],
            cwd=where,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        rel = p.resolve().relative_to(Path(top).resolve()).as_posix()
        shown = subprocess.run(  # noqa: S603
            [git, "show", "--end-of-options", f"{rev}:{rel}"],
            cwd=top,
            capture_output=True,
            check=True,
        )
    except (subprocess.CalledProcessError, ValueError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        first = detail.strip().splitlines()[:1]
        raise SiteError(
            [
                Problem(
                    spec,
                    1,
                    1,
                    f"cannot read {path} at revision {excerpt(rev)}: "
                    f"{excerpt(first[0], 200) if first else 'not in a git repository'}",
                )
            ]
        ) from None
    if len(shown.stdout) > files.MAX_BYTES:
        raise SiteError([Problem(spec, 1, 1, f"file is larger than {files.MAX_BYTES} bytes")])
    return spec, shown.stdout


def load_spec(spec: str) -> Any:
    from audit.site.load import site_from_document
    from audit.site.source import parse_document

    name, raw = read_spec(spec)
    return site_from_document(parse_document(raw, name))


@dataclass
class Diff:
    old: Any
    new: Any
    added: list[Any] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    assets: list[dict[str, Any]] = field(default_factory=list)
    effectiveness: list[dict[str, Any]] = field(default_factory=list)
    """P(E) before and after, per declared threat and asset."""


def _key(finding: Any, site_id: str) -> tuple[str, str, bool]:
    """Rule, element and whether it is a data gap; a finding on the site as a whole matches
    whatever its id. A fact to survey that, once recorded, turns out a lapse is a removed gap
    and an added lapse."""
    return (finding.rule, "" if finding.element == site_id else finding.element, finding.gap)


def diff(old: Any, new: Any) -> Diff:
    """``old`` and ``new`` are ``SiteResult``s; findings are matched by fingerprint."""
    fo = {_key(f, old.site): f for f in old.findings if not f.waived}
    fn = {_key(f, new.site): f for f in new.findings if not f.waived}
    out = Diff(old, new)
    out.added = sorted((f for k, f in fn.items() if k not in fo), key=lambda f: f.sort_key())
    out.removed = sorted((f for k, f in fo.items() if k not in fn), key=lambda f: f.sort_key())
    out.assets = _compare(
        {(a.asset,): (a.p_interruption, a.at) for a in old.analysis.assets},
        {(a.asset,): (a.p_interruption, a.at) for a in new.analysis.assets},
        ("asset",),
    )
    out.effectiveness = _compare(_pe(old), _pe(new), ("threat", "asset"))
    return out


def _pe(result: Any) -> dict[tuple[str, str], tuple[float, str]]:
    return {
        (t.threat, a.asset): (a.p_effectiveness, a.at)
        for t in result.effectiveness
        for a in t.assets
        if a.exposed
    }


def _compare(before: dict, after: dict, names: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        out.append(
            {
                **dict(zip(names, key, strict=True)),
                "before": b[0] if b else None,
                "before_at": b[1] if b else None,
                "after": a[0] if a else None,
                "after_at": a[1] if a else None,
            }
        )
    return out
