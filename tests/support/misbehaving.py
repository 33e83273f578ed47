"""A normalize() that misbehaves on request, for the parsing child's limits.

Its own small module: the child imports it on every start, and a test module would pull in pytest
and the broker with it.
"""

from __future__ import annotations

import os
import re
import time

from services.normalizer.transform import normalize
from shared.messages.v1 import NormalizedDocument

_DIRECTIVE = re.compile(rb"(sleep|hog|crash):(\d+)\n")


def misbehaving_normalize(content: bytes, filename: str, **limits: int) -> NormalizedDocument:
    """normalize(), after obeying a `sleep:S`, `hog:MiB` or `crash:CODE` line in the head (runs in the child)."""
    if match := _DIRECTIVE.search(content[:64]):
        action, amount = match[1], int(match[2])
        if action == b"sleep":
            time.sleep(amount)
        elif action == b"hog":
            bytearray(amount * 2**20)
        else:
            os._exit(amount)
    return normalize(content, filename, **limits)
