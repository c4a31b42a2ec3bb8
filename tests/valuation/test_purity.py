"""The engine is pure Python and NumPy: no Django anywhere in tribu/valuation."""

import ast
import importlib
import sys
from pathlib import Path

import tribu
import tribu.valuation

PACKAGE = Path(tribu.valuation.__file__).parent
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_imports_django():
    for path in PACKAGE.glob("*.py"):
        found = {name for name in _imported_names(path) if name.split(".")[0] == "django"}
        assert not found, f"{path.name} imports {found}"


def test_the_package_imports_with_django_unimportable(monkeypatch):
    # None in sys.modules makes any `import django…` fail, as if it were not installed.
    for name in [n for n in sys.modules if n == "django" or n.startswith("django.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "django", None)
    # Put every module object back afterwards, including the attribute on `tribu`.
    monkeypatch.setattr(tribu, "valuation", tribu.valuation)
    for name in [n for n in sys.modules if n.startswith("tribu.valuation")]:
        monkeypatch.delitem(sys.modules, name)
    package = importlib.import_module("tribu.valuation")
    for module in MODULES:
        importlib.import_module(f"tribu.valuation.{module}")
    assert callable(package.evaluate) and callable(package.balance_sheet)
