"""The package's public surface, and the rule that pure packages do no I/O."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import rightsledger

SRC = Path(rightsledger.__file__).parent
PURE = ["domain", "catalogue", "estimate", "assess", "names", "linkage", "texts"]
FORBIDDEN = {
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "click",
    "duckdb",
    "rich",
    "psycopg",
    "jinja2",
    "httpx",
    "requests",
    "splink",
    "rightsledger.store",
    "rightsledger.web",
    "rightsledger.cli",
    "rightsledger.ledger",
    "rightsledger.vault",
    "rightsledger.chain",
}


def test_top_level_all_is_pinned():
    assert rightsledger.__all__ == ["Ledger", "Settings", "__version__"]
    assert rightsledger.Ledger.__name__ == "Ledger"
    assert rightsledger.Settings.__name__ == "Settings"


def test_import_is_light():
    code = "import sys, rightsledger; print('sqlalchemy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def _imports(path: Path, package: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return found


#: Adapters inside pure packages: they import their engine inside functions only.
ADAPTERS = {"linkage/splink_model.py", "linkage/splink_comparisons.py"}


def _modules(pkg: str) -> list[Path]:
    return sorted((SRC / pkg).rglob("*.py")) if (SRC / pkg).exists() else []


@pytest.mark.parametrize("pkg", PURE)
def test_pure_packages_import_no_io_layers(pkg):
    bad = []
    for path in _modules(pkg):
        if path.relative_to(SRC).as_posix() in ADAPTERS:
            continue
        rel = path.relative_to(SRC.parent).with_suffix("")
        package = ".".join(rel.parts[:-1])
        for name in _imports(path, package):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                bad.append(f"{path.relative_to(SRC)} imports {name}")
    assert bad == []


def test_purity_check_catches_a_forbidden_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from ..store import tables\nimport sqlalchemy\n")
    names = _imports(module, "rightsledger.assess")
    assert "rightsledger.store" in names
    assert "sqlalchemy" in names


def test_report_context_is_pure():
    names = _imports(SRC / "report" / "context.py", "rightsledger.report")
    assert not {n for n in names if n.split(".")[0] in {"jinja2", "rich", "sqlalchemy"}}
