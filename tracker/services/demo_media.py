"""A demonstration "photo" for the demo data, drawn with Pillow from an exercise's drawing (nothing
is downloaded): what a physio's upload looks like, stored through the real upload checks."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tracker.drawings import HEIGHT, WIDTH
from tracker.drawings.render import placed
from tracker.drawings.scenes import SCENES

SCALE = 2


def demo_photo(key: str) -> SimpleUploadedFile:
    """The exercise's start-and-end drawing as a JPEG on a tinted "photo" background."""
    image = Image.new("RGB", (int(WIDTH * SCALE), int(HEIGHT * SCALE)), (244, 241, 234))
    pen = ImageDraw.Draw(image)
    for shape, points in placed(SCENES[key]()):
        xy = [(x * SCALE, y * SCALE) for x, y in points]
        width = max(1, round(shape.width * SCALE))
        fill = None if shape.fill == "none" else shape.fill
        if shape.kind == "text":
            pen.text(xy[0], shape.text, fill=shape.stroke, anchor="ms", font_size=shape.size * SCALE)
        elif shape.kind == "circle":
            (x, y), r = xy[0], shape.radius * SCALE
            pen.ellipse((x - r, y - r, x + r, y + r), fill=fill,
                        outline=shape.stroke if shape.width else None, width=width)
        else:
            if fill is not None:
                pen.polygon(xy, fill=fill)
            pen.line(xy, fill=shape.stroke, width=width, joint="curve")
    output = io.BytesIO()
    image.save(output, "JPEG", quality=88)
    return SimpleUploadedFile(f"{key}.jpg", output.getvalue(), content_type="image/jpeg")
