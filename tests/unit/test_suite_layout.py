"""The suite collects on a clean clone: test folders are not packages, so pytest imports each test module by
its basename, and two modules of one name anywhere under tests/ stop the whole run at collection."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_module_name_is_unique() -> None:
    names = Counter(path.name for path in TESTS.rglob("test_*.py") if "__pycache__" not in path.parts)
    assert {name: count for name, count in names.items() if count > 1} == {}
