"""siteaudit: audit the physical security of guarded facilities.

The public API is small: ``load_site`` turns a site file into a validated
``Site``; ``build_graph`` turns a ``Site`` into a networkx access graph.
Both are imported lazily so that ``import audit`` and ``siteaudit --version``
stay fast and do not pull in pydantic or networkx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__url__ = "https://pypi.org/project/siteaudit/"
"""Where the tool is described (SARIF ``informationUri``, package metadata)."""

__all__ = ["SiteError", "__version__", "build_graph", "load_site"]

if TYPE_CHECKING:
    from audit.common.errors import SiteError
    from audit.graph.access import build_graph
    from audit.site.load import load_site

_LAZY = {
    "load_site": ("audit.site.load", "load_site"),
    "build_graph": ("audit.graph.access", "build_graph"),
    "SiteError": ("audit.common.errors", "SiteError"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
