"""Installs are reproducible and complete: the locks cover pyproject.toml, and every import is declared.

`make install` (and so CI) installs requirements/dev.txt, the image installs requirements/service.txt, both
with `--no-deps` for the project itself: a dependency added to pyproject.toml without `make lock` would be
missing at run time, and one the code imports but never declares only works while something else pulls it in.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from shared.messages.export import ASYNCAPI_DOCUMENT

REPO = Path(__file__).resolve().parents[3]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
DEPENDENCIES = [Requirement(r) for r in PROJECT["dependencies"]]
EXTRAS = {name: [Requirement(r) for r in reqs] for name, reqs in PROJECT["optional-dependencies"].items()}
LOCKS = {"dev": REPO / "requirements/dev.txt", "service": REPO / "requirements/service.txt"}
LOCKED_FOR = {"dev": [*DEPENDENCIES, *EXTRAS["otlp"], *EXTRAS["test"]], "service": [*DEPENDENCIES, *EXTRAS["otlp"]]}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.M)
LOCAL_PACKAGES = {"services", "shared", "tests", "__future__"}


def pins(lock: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(lock.read_text("utf-8"))}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_the_lock_pins_every_declared_dependency_within_its_specifier(lock: str) -> None:
    pinned = pins(LOCKS[lock])
    missing = [str(req) for req in LOCKED_FOR[lock] if canonicalize_name(req.name) not in pinned]
    assert not missing, f"not in {LOCKS[lock].name}: {missing} (run `make lock`)"
    outside = [
        f"{req} locked at {pinned[canonicalize_name(req.name)]}"
        for req in LOCKED_FOR[lock]
        if not req.specifier.contains(pinned[canonicalize_name(req.name)], prereleases=True)
    ]
    assert not outside, f"{LOCKS[lock].name} no longer satisfies pyproject.toml: {outside} (run `make lock`)"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_carries_hashes_for_this_platform(lock: str) -> None:
    """pip's hash-checking mode (on as soon as one line has a hash) refuses a lock where one pin lacks them."""
    text = LOCKS[lock].read_text("utf-8")
    entries = re.split(r"^(?=[A-Za-z0-9])", text, flags=re.M)[1:]
    assert entries and all("--hash=sha256:" in entry for entry in entries)
    assert "--python-version 3.11" in text and "--python-platform x86_64-manylinux" in text


def test_the_image_and_the_dev_install_agree_on_every_shared_pin() -> None:
    dev, service = pins(LOCKS["dev"]), pins(LOCKS["service"])
    assert service.keys() <= dev.keys()
    assert {name: (version, dev[name]) for name, version in service.items() if dev[name] != version} == {}


def test_make_install_and_the_image_install_from_the_locks() -> None:
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert "LOCK := requirements/dev.txt" in makefile and "--require-hashes -r $(LOCK)" in makefile
    assert "PY_SOURCES := pyproject.toml $(LOCK)" in makefile  # a changed lock reinstalls
    dockerfile = (REPO / "deploy/Dockerfile").read_text("utf-8")
    assert "pip install --require-hashes -r requirements/service.txt" in dockerfile


def test_the_image_has_the_system_libraries_the_dev_install_gets_for_ocr() -> None:
    """OpenCV (the OCR engine's) cannot import without libGL/GLib: python:3.11-slim lacks them, so the
    normalizer image would fail on the first scanned page while every dev machine passes."""
    makefile = (REPO / "Makefile").read_text("utf-8")
    [ocr_libs] = re.findall(r"^ocr-libs:.*?apt-get install -y -qq ([a-z0-9.+\- ]+?) >/dev/null", makefile, re.S | re.M)
    dockerfile = (REPO / "deploy/Dockerfile").read_text("utf-8")
    [image_libs] = re.findall(r"apt-get install -y -qq --no-install-recommends ([a-z0-9.+\- ]+?) \\", dockerfile)
    assert set(ocr_libs.split()) == set(image_libs.split()) == {"libgl1", "libglib2.0-0"}


def test_the_image_carries_the_asyncapi_document_the_search_api_serves() -> None:
    relative = ASYNCAPI_DOCUMENT.relative_to(REPO).as_posix()
    dockerfile = (REPO / "deploy/Dockerfile").read_text("utf-8")
    assert f"COPY {relative} ./{relative}" in dockerfile
    ignored = {line.strip() for line in (REPO / ".dockerignore").read_text("utf-8").splitlines()}
    assert not ignored & {"docs", "docs/", relative}


def imported_modules(paths: Iterable[Path]) -> Iterator[tuple[str, Path]]:
    """(top-level module, file) of every absolute import, lazy ones inside functions included."""
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in LOCAL_PACKAGES:
                    yield top, path


def undeclared(roots: list[str], declared: list[Requirement]) -> list[str]:
    names = {canonicalize_name(req.name) for req in declared}
    providers = packages_distributions()
    files = [path for root in roots for path in sorted((REPO / root).rglob("*.py"))]
    return sorted(
        {
            f"{module} ({path.relative_to(REPO)}; provided by {providers.get(module, 'nothing installed')})"
            for module, path in imported_modules(files)
            if not names & {canonicalize_name(dist) for dist in providers.get(module, [])}
        }
    )


def test_the_tests_import_only_what_the_dependencies_and_the_test_extra_declare() -> None:
    assert not undeclared(["tests"], [*DEPENDENCIES, *EXTRAS["test"]])


def test_the_code_imports_only_what_its_dependencies_and_optional_extras_declare() -> None:
    """The otlp extra counts: its exporter is imported only when OTEL_*_EXPORTER=otlp asks for it."""
    assert not undeclared(["services", "shared"], [*DEPENDENCIES, *EXTRAS["otlp"]])


def test_the_import_scan_sees_a_module_nothing_declares() -> None:
    assert undeclared(["tests"], DEPENDENCIES)  # pytest and the other test tools are imported
    assert list(imported_modules([Path(ast.__file__)])) == []  # the standard library is never a dependency
