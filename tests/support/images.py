"""What an image shows, for the tests of page crops."""

from __future__ import annotations

import io

from PIL import Image

RGB = tuple[int, int, int]


def png_colours(png: bytes) -> set[RGB]:
    """Every colour present in the image."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(image.width * image.height) or []}
