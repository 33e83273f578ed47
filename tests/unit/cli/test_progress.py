"""Progress bars: on stderr only, by default only on a terminal, never in the lines stdout carries."""

from __future__ import annotations

import pytest

from services.cli.progress import progress_bar, wanted


def test_without_a_flag_a_bar_is_drawn_only_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert wanted(None) is False  # stderr is captured here: not a terminal
    assert wanted(True) is True and wanted(False) is False


def test_a_hidden_bar_draws_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar("ingesting", enabled=False) as advance:
        advance(1, 2)
        print("ingested  a.txt")
    assert capsys.readouterr() == ("ingested  a.txt\n", "")


def test_a_bar_goes_to_stderr_and_leaves_stdout_alone(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar("ingesting", enabled=True) as advance:
        for done in range(1, 4):
            print(f"ingested  {done}.txt")
            advance(done, 3)
    out, err = capsys.readouterr()
    assert out == "ingested  1.txt\ningested  2.txt\ningested  3.txt\n"
    assert "ingesting" in err and "3/3" in err
