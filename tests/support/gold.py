"""The one loader of the committed seed gold (tests/fixtures/seed-gold, copied from the team's gold set).

Tests never read anything outside the repository: a clean clone has no team folder beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO / "seeds"
SEED_GOLD_DIR = REPO / "tests" / "fixtures" / "seed-gold"


def seed_gold(seed: str | Path) -> dict[str, Any]:
    """Gold of one seed, by its file (`seeds/000_….txt`) or its three-digit number (`"000"`)."""
    stem = Path(seed).stem if isinstance(seed, Path) or "." in str(seed) else str(seed)
    path = SEED_GOLD_DIR / f"{stem}.json"
    if not path.is_file():
        path = next(SEED_GOLD_DIR.glob(f"{stem}_*.json"))
    return json.loads(path.read_text(encoding="utf-8"))
