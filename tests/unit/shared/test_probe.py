"""The exec probe of deploy/k8s reads the health file shared.runtime.Health writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.probe import main, waiting_for
from shared.runtime import Health


def test_a_service_that_never_waited_is_ready(tmp_path: Path) -> None:
    assert main([str(tmp_path / "normalizer.json")]) == 0


def test_waiting_for_a_dependency_is_not_ready_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    health = Health("indexer", tmp_path)
    health.waiting("elasticsearch", "connection refused")
    assert main([str(tmp_path / "indexer.json")]) == 1
    assert "waiting for elasticsearch: connection refused" in capsys.readouterr().out
    health.recovered("elasticsearch")
    assert main([str(tmp_path / "indexer.json")]) == 0


@pytest.mark.parametrize("content", ["", "{", "[]", '{"waiting_for": "nats"}', "\x00\xff"])
def test_an_unreadable_file_says_nothing(tmp_path: Path, content: str) -> None:
    (tmp_path / "x.json").write_text(content, "utf-8")
    assert waiting_for(tmp_path / "x.json") == {}


def test_the_file_is_the_only_argument() -> None:
    assert main([]) == 2
