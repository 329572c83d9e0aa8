"""The folders are the layers: every import in audit/ points to its own layer or a lower one.

The order is README's ("For developers"). Imports inside functions count too: importing
lazily keeps start-up light, it does not make an upward dependency acceptable.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "audit"
LAYERS = [
    "common",
    "geometry",
    "site",
    "graph",
    "analysis",
    "checks",
    "findings",
    "rules",
    "upgrade",
    "report",
    "survey",
    "history",
    "app",
    "cli",
]
"""Bottom to top. ``audit/__init__.py`` (the public API) and ``__main__`` sit above all."""


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "audit":
        return None
    if len(parts) == 1 or parts[1] in {"__init__", "__main__", "__version__", "__url__"}:
        return len(LAYERS)
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            if node.module == "audit":
                out += [(node.lineno, f"audit.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def test_every_top_level_package_is_a_known_layer():
    top = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert top <= {*LAYERS, "data"}, top - {*LAYERS, "data"}
    assert {p.name for p in ROOT.glob("*.py")} == {"__init__.py", "__main__.py"}


def test_no_import_points_up():
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        own = _layer(".".join(rel.parts))
        if own is None or own == len(LAYERS):
            continue
        for line, module in _imports(path):
            target = _layer(module)
            if module in {"audit", "audit.__version__", "audit.__url__"}:
                continue  # the version and URL constants of the package itself
            if target is not None and target > own:
                upward.append(f"{rel}.py:{line}: {LAYERS[own]} imports {module}")
    assert not upward, "\n".join(upward)
