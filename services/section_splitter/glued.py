"""Split digit runs whose cell separators were lost (`3512000038` → 35|1|2|0|0|0|38).

Only the table identities make such runs readable: within a summed block the last cell is the
sum of the others, so once the other cells are chosen the total's digits are fixed. Cells never
have leading zeros. Callers treat more than one surviving split as ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

_MAX_CELL_DIGITS = 7
MAX_RUN_DIGITS = 40  # longer runs are not rows of the official tables


def glued_splits(digits: str, blocks: Sequence[tuple[int, bool]], limit: int = 8) -> list[tuple[int, ...]]:
    """Every split of `digits` into the given blocks, (size, summed) each; stops at `limit`."""
    found: list[tuple[int, ...]] = []
    if not digits.isdigit() or len(digits) > MAX_RUN_DIGITS:
        return found

    def walk(pos: int, index: int, acc: tuple[int, ...]) -> None:
        if len(found) >= limit:
            return
        if index == len(blocks):
            if pos == len(digits):
                found.append(acc)
            return
        size, summed = blocks[index]
        for values, end in _block(digits, pos, size, summed):
            walk(end, index + 1, acc + values)

    walk(0, 0, ())
    return found


def _numbers(digits: str, pos: int) -> Iterator[tuple[int, int]]:
    if pos >= len(digits):
        return
    if digits[pos] == "0":
        yield 0, pos + 1
        return
    for end in range(pos + 1, min(len(digits), pos + _MAX_CELL_DIGITS) + 1):
        yield int(digits[pos:end]), end


def _free(digits: str, pos: int, count: int) -> Iterator[tuple[tuple[int, ...], int]]:
    if count == 0:
        yield (), pos
        return
    for value, end in _numbers(digits, pos):
        if len(digits) - end < count - 1:
            break
        for rest, final in _free(digits, end, count - 1):
            yield (value, *rest), final


def _block(digits: str, pos: int, size: int, summed: bool) -> Iterator[tuple[tuple[int, ...], int]]:
    if not summed:
        yield from _free(digits, pos, size)
        return
    for parts, end in _free(digits, pos, size - 1):
        total = str(sum(parts))
        if digits.startswith(total, end):
            yield (*parts, int(total)), end + len(total)
