"""Pictures for the demo content, drawn with Pillow so nothing is downloaded."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

TEAL, DEEP_TEAL, RUST, TINT = "#0a5a64", "#06404a", "#8c3a10", "#e3f0f1"


def banner_jpeg(name: str, *, size=(1600, 700)) -> ContentFile:
    """An abstract banner in the site's colors: overlapping circles, like the logo."""
    width, height = size
    image = Image.new("RGB", size, DEEP_TEAL)
    draw = ImageDraw.Draw(image)
    for index, (x, radius, color) in enumerate(
        [(0.18, 0.55, TEAL), (0.42, 0.35, RUST), (0.7, 0.6, TEAL), (0.88, 0.28, TINT)]
    ):
        cx, cy, r = x * width, height * (0.35 + 0.2 * (index % 2)), radius * height
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, optimize=True)
    return ContentFile(buffer.getvalue(), name=name)
