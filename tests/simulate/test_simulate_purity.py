import ast
import sys
from pathlib import Path

import rightsledger.names
import rightsledger.simulate

FORBIDDEN = {"sqlalchemy", "click", "fastapi", "duckdb", "rich"}


def _imports(package):
    root = Path(package.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.name, alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path.name, node.module.split(".")[0]


def test_names_imports_stdlib_only():
    for _, module in _imports(rightsledger.names):
        assert module in sys.stdlib_module_names or module == "__future__", module


def test_simulate_imports_no_io_frameworks():
    for path, module in _imports(rightsledger.simulate):
        assert module not in FORBIDDEN, (path, module)
        if path != "writer.py":
            assert module not in {"csv", "json", "io", "pathlib", "time"}, (
                path,
                module,
            )


def test_public_api_is_declared():
    for package in (rightsledger.names, rightsledger.simulate):
        for name in package.__all__:
            assert hasattr(package, name), name
