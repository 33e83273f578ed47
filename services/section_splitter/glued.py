"""Split digit runs whose cell separators were lost (`3512000038` → 35|1|2|0|0|0|38).

Only the table identities make such runs readable: within a summed block the last cell is the
sum of the others, so once the other cells are chosen the total's digits are fixed. Cells never
have leading zeros. Callers treat more than one surviving split as ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

_MAX_CELL_DIGITS = 7
MAX_RUN_DIGITS = 40  # longer runs are not rows of the official tables


def glued_splits(
    digits: str, blocks: Sequence[tuple[int, bool]], limit: int = 8, cuts: frozenset[int] = frozenset()
) -> list[tuple[int, ...]]:
    """Every split of `digits` into the given blocks, (size, summed) each; stops at `limit`.

    `cuts` are offsets where a cell must end: the stray spaces of a half-glued row
    (`140 0001 15`, docs/flattening.md) separate cells even though the digits around them are glued.
    """
    found: list[tuple[int, ...]] = []
    if not digits.isdigit() or len(digits) > MAX_RUN_DIGITS:
        return found
    run = _Run(digits, cuts)

    def walk(pos: int, index: int, acc: tuple[int, ...]) -> None:
        if len(found) >= limit:
            return
        if index == len(blocks):
            if pos == len(digits):
                found.append(acc)
            return
        size, summed = blocks[index]
        for values, end in run.block(pos, size, summed):
            walk(end, index + 1, acc + values)

    walk(0, 0, ())
    return found


class _Run:
    """A digit run and the offsets no cell may cross."""

    def __init__(self, digits: str, cuts: frozenset[int]) -> None:
        self.digits = digits
        self.cuts = sorted(cuts)

    def _reach(self, pos: int) -> int:
        """The furthest end a cell starting at `pos` may have."""
        return next((c for c in self.cuts if c > pos), len(self.digits))

    def numbers(self, pos: int) -> Iterator[tuple[int, int]]:
        digits = self.digits
        if pos >= len(digits):
            return
        if digits[pos] == "0":
            yield 0, pos + 1
            return
        for end in range(pos + 1, min(self._reach(pos), pos + _MAX_CELL_DIGITS) + 1):
            yield int(digits[pos:end]), end

    def free(self, pos: int, count: int) -> Iterator[tuple[tuple[int, ...], int]]:
        if count == 0:
            yield (), pos
            return
        for value, end in self.numbers(pos):
            if len(self.digits) - end < count - 1:
                break
            for rest, final in self.free(end, count - 1):
                yield (value, *rest), final

    def block(self, pos: int, size: int, summed: bool) -> Iterator[tuple[tuple[int, ...], int]]:
        if not summed:
            yield from self.free(pos, size)
            return
        for parts, end in self.free(pos, size - 1):
            total = str(sum(parts))
            if self.digits.startswith(total, end) and end + len(total) <= self._reach(end):
                yield (*parts, int(total)), end + len(total)
