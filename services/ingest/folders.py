"""The bucket directory: incoming/ → claims/ → processed/ or failed/ (+ <name>.error.txt).

Several ingest replicas may watch one folder: a replica first renames a file into a fresh
claims/<uuid>/ (atomic on one filesystem), so exactly one of them reads, publishes and moves it.

Every name written here went through `names.safe_name` (or `tagged_name`), and `contained` checks
the final path once more, so no name from outside can write beside or above the bucket.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import uuid
from pathlib import Path

from services.ingest.names import ERROR_SUFFIX, safe_name, tagged_name

_PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp")


def is_candidate(name: str) -> bool:
    """Hidden files and in-progress downloads are not reports (yet)."""
    return not name.startswith(".") and not name.endswith(_PARTIAL_SUFFIXES)


def scan(incoming: Path) -> list[Path]:
    """Every non-directory entry below `incoming` (links and special files too: they get refused),
    never descending into a linked directory."""
    found: list[Path] = []
    with os.scandir(incoming) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found += scan(Path(entry.path))
            elif is_candidate(entry.name):
                found.append(Path(entry.path))
    return sorted(found)


def contained(directory: Path, name: str) -> Path:
    """`directory/name`, refusing a name that is not one plain component or a target that is a link."""
    target = directory / name
    if name in {"", ".", ".."} or Path(name).name != name or target.is_symlink():
        raise ValueError(f"unsafe file name for {directory.name}/: {name!r}")
    return target


def free_name(directory: Path, filename: str, tag: str) -> Path:
    """`directory/<safe filename>`, or `<stem>.<tag><ext>` when a different file already has that name."""
    target = contained(directory, safe_name(filename))
    return target if not target.exists() else contained(directory, tagged_name(filename, tag))


def move_into(path: Path, directory: Path, tag: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = free_name(directory, path.name, tag)
    shutil.move(str(path), target)
    return target


def refuse_entry(path: Path, failed_dir: Path, tag: str, note: str) -> Path:
    """Take a link or special file out of incoming/ without opening it: renamed into failed/ on the same
    filesystem, else unlinked (only the entry: a link's target is never touched); the note beside it."""
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = contained(failed_dir, tagged_name(path.name, tag))
    try:
        os.rename(path, target)
    except OSError:  # another filesystem: copying would open (follow) it
        path.unlink(missing_ok=True)
    contained(failed_dir, target.name + ERROR_SUFFIX).write_text(note, encoding="utf-8")
    return target


def record_failure(
    failed_dir: Path, filename: str, tag: str, note: str, content: bytes | None = None, source: Path | None = None
) -> Path:
    """failed/<stem>.<tag><ext> + its .error.txt; the bytes are moved from `source` or written from `content`.

    The tag is the report id (or the bytes' hash), so a report's bytes are only ever paired with its own reason.
    """
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = contained(failed_dir, tagged_name(filename, tag))
    if source is not None:
        shutil.move(str(source), target)
    elif content is not None and not target.exists():
        target.write_bytes(content)
    contained(failed_dir, target.name + ERROR_SUFFIX).write_text(note, encoding="utf-8")
    return target


def claim(path: Path, claims_dir: Path) -> Path | None:
    """Take `path` for this replica: the claimed path, or None when another replica renamed it first.

    On another filesystem than `claims_dir` no rename is atomic: the file is ingested where it is (one replica).
    """
    holder = claims_dir / uuid.uuid4().hex
    holder.mkdir(parents=True)
    try:
        os.rename(path, holder / path.name)
    except OSError as exc:
        holder.rmdir()
        if exc.errno == errno.ENOENT:
            return None
        if exc.errno == errno.EXDEV:
            return path
        raise
    return holder / path.name


def release(claimed: Path, origin: Path) -> None:
    """Give back a claim that was not finished (still being written, or ingest failed): a later pass retries it."""
    if claimed != origin:  # else ingested in place (folders.claim across filesystems): nothing to give back
        with contextlib.suppress(FileNotFoundError):
            os.rename(claimed, origin)
    finish(claimed, origin)


def finish(claimed: Path, origin: Path) -> None:
    """Drop the emptied claim holder once its file moved on to processed/ or failed/ (or back to incoming/)."""
    if claimed == origin:
        return
    with contextlib.suppress(OSError):  # only ever an empty holder: rmdir refuses anything else
        claimed.parent.rmdir()


def recover_stale_claims(claims_dir: Path, incoming: Path, older_than: float, now: float) -> list[Path]:
    """Files claimed more than `older_than` s ago (wall clock, like mtime) go back to incoming/: the replica
    that claimed them died before finishing. Returns where they went."""
    if not claims_dir.is_dir():
        return []
    recovered = []
    for holder in claims_dir.iterdir():
        try:
            if now - holder.lstat().st_mtime < older_than:
                continue
            entries = list(holder.iterdir())
        except (FileNotFoundError, NotADirectoryError):  # recovered by another replica meanwhile
            continue
        for entry in entries:
            target = free_name(incoming, entry.name, holder.name[:12])
            with contextlib.suppress(FileNotFoundError):  # another replica recovered it first
                os.rename(entry, target)
                recovered.append(target)
        with contextlib.suppress(OSError):
            holder.rmdir()
    return recovered
