"""`govreports run --replicas N` and the process names of a service's replicas (their log files)."""

from __future__ import annotations

import argparse

import pytest

from services.cli import positive_int
from services.cli.stack import replica_names
from tests.bench.replicas import replica_counts


def test_a_single_replica_keeps_the_service_name() -> None:
    assert replica_names("indexer", 1) == ["indexer"]


def test_several_replicas_are_numbered_from_one() -> None:
    assert replica_names("cross-year", 3) == ["cross-year-1", "cross-year-2", "cross-year-3"]


@pytest.mark.parametrize("text", ["0", "-2"])
def test_replicas_below_one_are_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        positive_int(text)


def test_the_bench_compares_the_given_replica_counts() -> None:
    assert replica_counts("1,2") == (1, 2)
    for text in ("", "1,x", "0,2"):
        with pytest.raises(argparse.ArgumentTypeError):
            replica_counts(text)
