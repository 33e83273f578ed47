"""What lets several ingest replicas share one source: folder claims and Object Store put announcements."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest import folders
from services.ingest.transform import ObjectPut, announced_put


def dropped(tmp_path: Path, name: str = "年报.pdf", content: bytes = b"report") -> tuple[Path, Path, Path]:
    """(incoming/, claims/, the dropped file)."""
    incoming, claims = tmp_path / "incoming", tmp_path / "claims"
    incoming.mkdir()
    (incoming / name).write_bytes(content)
    return incoming, claims, incoming / name


def test_a_file_is_claimed_by_the_first_replica_only(tmp_path: Path) -> None:
    _, claims, path = dropped(tmp_path)
    first = folders.claim(path, claims)
    second = folders.claim(path, claims)  # a second replica that saw the same file ready
    assert first is not None and first.read_bytes() == b"report" and first.name == path.name
    assert second is None and not path.exists()
    assert [holder.name for holder in claims.iterdir()] == [first.parent.name]  # the loser left nothing


def test_a_released_claim_goes_back_where_it_was_dropped(tmp_path: Path) -> None:
    _, claims, path = dropped(tmp_path)
    claimed = folders.claim(path, claims)
    assert claimed is not None
    folders.release(claimed, path)
    assert path.read_bytes() == b"report" and not list(claims.iterdir())


def test_a_finished_claim_leaves_no_holder(tmp_path: Path) -> None:
    _, claims, path = dropped(tmp_path)
    claimed = folders.claim(path, claims)
    assert claimed is not None
    folders.move_into(claimed, tmp_path / "processed", "tag")
    folders.finish(claimed, path)
    assert not list(claims.iterdir()) and (tmp_path / "processed" / path.name).exists()


def test_only_claims_older_than_the_timeout_are_recovered(tmp_path: Path) -> None:
    incoming, claims, path = dropped(tmp_path)
    dead = folders.claim(path, claims)
    (incoming / "b.txt").write_bytes(b"live")
    live = folders.claim(incoming / "b.txt", claims)
    assert dead is not None and live is not None
    os.utime(dead.parent, (1_000, 1_000))  # claimed long ago by a replica that then died

    recovered = folders.recover_stale_claims(claims, incoming, older_than=300, now=2_000)

    assert recovered == [path] and path.read_bytes() == b"report"
    assert live.exists() and [holder.name for holder in claims.iterdir()] == [live.parent.name]


def test_a_recovered_claim_never_overwrites_a_newer_drop_of_the_same_name(tmp_path: Path) -> None:
    incoming, claims, path = dropped(tmp_path)
    dead = folders.claim(path, claims)
    assert dead is not None
    path.write_bytes(b"newer")
    os.utime(dead.parent, (1_000, 1_000))

    [recovered] = folders.recover_stale_claims(claims, incoming, older_than=300, now=2_000)

    assert path.read_bytes() == b"newer" and recovered.read_bytes() == b"report" and recovered != path


def test_without_a_claims_folder_nothing_is_recovered(tmp_path: Path) -> None:
    assert folders.recover_stale_claims(tmp_path / "claims", tmp_path, older_than=1, now=0) == []


def object_meta(**fields: object) -> bytes:
    return json.dumps({"bucket": "reports-incoming", "size": 3, "chunks": 1, **fields}).encode()


def test_a_put_is_announced_with_its_version() -> None:
    assert announced_put(object_meta(name="a/年报.pdf", nuid="N1")) == ObjectPut("a/年报.pdf", "N1")


def test_a_delete_tombstone_is_no_put() -> None:
    assert announced_put(object_meta(name="a.pdf", nuid="N1", deleted=True)) is None


@given(st.one_of(st.binary(max_size=200), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "nuid", "deleted"]), inner),
    max_leaves=8,
).map(lambda value: json.dumps(value).encode())))
@settings(max_examples=300)
def test_no_meta_message_stops_the_consumer(meta: bytes) -> None:
    put = announced_put(meta)
    assert put is None or (put.name and put.nuid)
