"""The bucket directory: incoming/ → processed/ or failed/ (+ <name>.error.txt)."""

from __future__ import annotations

import shutil
from pathlib import Path

_PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp")


def is_candidate(path: Path) -> bool:
    """Hidden files and in-progress downloads are not reports (yet)."""
    return path.is_file() and not path.name.startswith(".") and not path.name.endswith(_PARTIAL_SUFFIXES)


def scan(incoming: Path) -> list[Path]:
    return sorted(p for p in incoming.rglob("*") if is_candidate(p))


def free_name(directory: Path, filename: str, tag: str) -> Path:
    """`directory/filename`, or `stem.<tag>.suffix` when a different file already has that name."""
    target = directory / filename
    if not target.exists():
        return target
    stem, suffix = Path(filename).stem, Path(filename).suffix
    return directory / f"{stem}.{tag}{suffix}"


def move_into(path: Path, directory: Path, tag: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = free_name(directory, path.name, tag)
    shutil.move(str(path), target)
    return target


def record_failure(failed_dir: Path, target_name: str, note: str, content: bytes | None = None) -> Path:
    """Write the reason beside the failed file (and the bytes, when the file isn't there yet)."""
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = failed_dir / target_name
    if content is not None and not target.exists():
        target.write_bytes(content)
    (failed_dir / f"{target_name}.error.txt").write_text(note, encoding="utf-8")
    return target
