"""HTML templates of a package, autoescaped: every value from an input file is text."""

from __future__ import annotations

from typing import Any


def template(package: str, name: str) -> Any:
    """Template ``name`` of ``package``'s ``templates/`` folder (a ``jinja2.Template``).
    jinja2 is imported here, so only the commands that write HTML pay for it."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(name)
