"""Dependencies point inwards (STYLE.md): the core imports no platform, database, search or config."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE_MAY_NOT_IMPORT = (
    "slack_bolt",
    "slack_sdk",
    "telegram",
    "sqlalchemy",
    "rapidfuzz",
    "pydantic",
    "config",
    "register",
    "kb_index",
    "bot.slack",
    "bot.telegram",
    "bot.console",
    "bot.bootstrap",
    "bot.cli",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


def test_the_core_imports_no_platform_database_search_library_or_config() -> None:
    assert offending("bot/core", CORE_MAY_NOT_IMPORT) == []


@pytest.mark.parametrize(
    ("package", "other"), [("bot/slack", "bot.telegram"), ("bot/telegram", "bot.slack")]
)
def test_the_platform_adapters_never_import_each_other(package: str, other: str) -> None:
    assert offending(package, (other,)) == []


def test_settings_import_nothing_of_ours() -> None:
    assert offending("config", ("bot", "register", "kb_index")) == []
