"""Project configuration: ``siteaudit.toml`` or ``[tool.siteaudit]`` in ``pyproject.toml``.

Found by walking up from the working directory, as ruff and yamllint do; the
first directory with either file wins (``siteaudit.toml`` first). Paths in it
are relative to the file. Command-line flags always win over the file.

    [tool.siteaudit]
    checklists = ["checklists/acme.yaml"]
    builtin = true             # load the built-in checklist (old name: baseline)
    select = ["unmanned-checkpoint", "SA-LIGHT-*"]
    ignore = ["SA-CAM-003"]
    fail-on = "high"
    jobs = 4
    include = ["sites/**/*.yaml"]
    exclude = ["sites/archive/**"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.common import files
from audit.common.errors import Problem, SiteError, did_you_mean, excerpt, printable

MAX_CONFIG_BYTES = 1024 * 1024

SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass
class Config:
    path: Path | None = None
    checklists: list[str] = field(default_factory=list)
    builtin: bool = True
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    jobs: int | None = None
    include: list[str] = field(default_factory=lambda: ["**/*.yaml", "**/*.yml"])
    exclude: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Warnings about the file (an old key name), ``file:line:col: warning: ...``, for the
    command to print on stderr."""


_KEYS: dict[str, Any] = {
    # Any, not type: isinstance() against a looked-up type would narrow the value to object
    "checklists": list,
    "builtin": bool,
    "select": list,
    "ignore": list,
    "fail-on": str,
    "jobs": int,
    "include": list,
    "exclude": list,
}
_RENAMED = {"baseline": "builtin"}
"""Old key -> new key: the old one still works, with a warning; both at once is an error."""


def find_config(start: Path | None = None) -> Path | None:
    """The nearest siteaudit.toml, or pyproject.toml with [tool.siteaudit], upwards."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        own = d / "siteaudit.toml"
        if own.is_file():
            return own
        py = d / "pyproject.toml"
        if py.is_file():
            try:
                raw = files.read_bytes(py, what="pyproject.toml", limit=MAX_CONFIG_BYTES)
            except SiteError:
                continue
            if _mentions_siteaudit(raw):
                return py
    return None


def _mentions_siteaudit(raw: bytes) -> bool:
    """True when a pyproject.toml has a ``tool.siteaudit`` entry (or seems to, if unparsable)."""
    import tomllib

    if b"siteaudit" not in raw:
        return False
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True  # let load_config report what is wrong with it
    tool = data.get("tool")
    return isinstance(tool, dict) and "siteaudit" in tool or not isinstance(tool, dict | None)


def _line_of(text: str, key: str, table: str | None) -> int:
    """Line of ``key`` inside ``[table]`` (or at the top when None); 1 if not found."""
    import re

    current = None
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    for i, line in enumerate(text.splitlines(), 1):
        head = re.match(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if head:
            current = head.group(1).strip()
            continue
        if current == table and pattern.match(line):
            return i
    return 1


def load_config(path: Path | None) -> Config:
    """Parse a config file; raise ``SiteError`` (file:line) for anything unexpected."""
    import tomllib

    if path is None:
        return Config()
    raw = files.read_bytes(path, what="config file", limit=MAX_CONFIG_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SiteError(
            [Problem(str(path), line, 1, "config file is not valid UTF-8; save it as UTF-8")]
        ) from None
    data: Any
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or 1
        col = getattr(exc, "colno", None) or 1
        what = str(exc).split(" (at ")[0]
        raise SiteError([Problem(str(path), line, col, f"TOML syntax error: {what}")]) from None
    except RecursionError:
        raise SiteError([Problem(str(path), 1, 1, "TOML nesting is too deep")]) from None
    table = None
    if path.name == "pyproject.toml" or (set(data) == {"tool"} and "siteaudit" in data["tool"]):
        table = "tool.siteaudit"
        tool = data.get("tool", {})
        data = tool.get("siteaudit", {}) if isinstance(tool, dict) else None
        if not isinstance(data, dict):
            where = _line_of(text, "tool", None) if not isinstance(tool, dict) else 1
            raise SiteError(
                [Problem(str(path), where, 1, "[tool.siteaudit] must be a table of settings")]
            )
    problems = []
    cfg = Config(path=path)
    for given, value in data.items():
        line = _line_of(text, given, table)
        key = _RENAMED.get(given, given)
        if key != given:
            if key in data:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        1,
                        f'"{given}" is the old name of "{key}": give only "{key}"',
                    )
                )
                continue
            cfg.notes.append(
                f'{printable(str(path))}:{line}:1: warning: "{given}" is deprecated: use "{key}"'
            )
        want = _KEYS.get(key)
        if want is None:
            problems.append(
                Problem(
                    str(path),
                    line,
                    1,
                    f"unknown setting {excerpt(key)}{did_you_mean(key, _KEYS)}; "
                    f"expected one of: {', '.join(sorted(_KEYS))}",
                )
            )
            continue
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            problems.append(
                Problem(
                    str(path), line, 1, f'"{given}" must be a {want.__name__}, got {excerpt(value)}'
                )
            )
            continue
        if want is list and not all(isinstance(v, str) for v in value):
            problems.append(Problem(str(path), line, 1, f'"{given}" must be a list of strings'))
            continue
        if key == "fail-on" and value not in SEVERITIES:
            problems.append(
                Problem(
                    str(path),
                    line,
                    1,
                    f'"fail-on" must be one of {", ".join(SEVERITIES)}, got {excerpt(value)}',
                )
            )
            continue
        if key == "jobs" and not 1 <= value <= 1024:
            problems.append(Problem(str(path), line, 1, '"jobs" must be between 1 and 1024'))
            continue
        if key == "checklists" and (bad := [c for c in value if not _is_yaml_name(c)]):
            problems.append(
                Problem(
                    str(path),
                    line,
                    1,
                    f'"checklists" lists {excerpt(bad[0])}; expected .yaml or .yml files',
                )
            )
            continue
        setattr(cfg, key.replace("-", "_"), value)
    if problems:
        raise SiteError(problems)
    base = path.parent
    cfg.checklists = [str((base / c).resolve()) for c in cfg.checklists]
    return cfg


def _is_yaml_name(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def merged(cfg: Config, **flags: Any) -> dict[str, Any]:
    """Flags given on the command line (not None / not empty) override the file."""
    out = {
        "checklists": cfg.checklists,
        "builtin": cfg.builtin,
        "select": cfg.select,
        "ignore": cfg.ignore,
        "fail_on": cfg.fail_on or "high",
        "jobs": cfg.jobs,
        "include": cfg.include,
        "exclude": cfg.exclude,
    }
    for key, value in flags.items():
        if value is None or value == () or value == []:
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out
