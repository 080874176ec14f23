"""A Drawing as SVG text, and the canvas coordinates every renderer shares."""

from xml.sax.saxutils import escape

from tracker.drawings import HEIGHT, PANEL_HEIGHT, PANEL_ORIGINS, PANEL_WIDTH, PROP, WIDTH, Drawing, Shape


def to_canvas(panel_index: int, point: tuple[float, float]) -> tuple[float, float]:
    """A panel point (y up, floor at 0) on the whole drawing (y down, as SVG and Pillow count)."""
    x0, y0 = PANEL_ORIGINS[panel_index]
    return round(x0 + point[0], 1), round(HEIGHT - (y0 + point[1]), 1)


def placed(drawing: Drawing, *, divider: bool = True):
    """(shape, canvas points) of every mark, the panel frames and captions included, and a line
    between the panels where both are shown as one picture (`divider`)."""
    for index, panel in enumerate(drawing.panels):
        x0, y0 = PANEL_ORIGINS[index]
        caption = Shape("text", ((PANEL_WIDTH / 2, PANEL_HEIGHT - 4),), PROP, 0, "none", 0,
                        drawing.captions[index], 17)
        for shape in (*panel.shapes, caption):
            yield shape, [to_canvas(index, point) for point in shape.points]
    if divider:
        middle = (PANEL_ORIGINS[1][0] + PANEL_ORIGINS[0][0] + PANEL_WIDTH) / 2
        yield Shape("line", ((0, 0), (0, 0)), "#ced4da", 1.5), [(middle, 12.0), (middle, HEIGHT - 12.0)]


def _svg_shape(shape: Shape, points) -> str:
    stroke = f'stroke="{shape.stroke}" stroke-width="{shape.width:g}"' if shape.width else 'stroke="none"'
    if shape.kind == "text":
        (x, y), = points
        anchor = {"middle": "middle", "start": "start", "end": "end"}[shape.anchor]
        return (
            f'<text x="{x:g}" y="{y:g}" font-size="{shape.size:g}" text-anchor="{anchor}" '
            f'fill="{shape.stroke}">{escape(shape.text)}</text>'
        )
    if shape.kind == "circle":
        (x, y), = points
        return f'<circle cx="{x:g}" cy="{y:g}" r="{shape.radius:g}" fill="{shape.fill}" {stroke}/>'
    if shape.kind == "line":
        (x1, y1), (x2, y2) = points
        return f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" {stroke}/>'
    coordinates = " ".join(f"{x:g},{y:g}" for x, y in points)
    return f'<polyline points="{coordinates}" fill="{shape.fill}" {stroke}/>'


def to_svg(drawing: Drawing, description: str) -> str:
    """The SVG file: a title and a description (the alt text) for screen readers and search, and
    a view of each panel (`file.svg#start`, `file.svg#end`) so a phone can show them one above the
    other, each at full width. The pages show each view in a frame of its own, so no line divides
    the panels: it would be cut in half along the edge of both views."""
    body = "\n".join(f"  {_svg_shape(shape, points)}" for shape, points in placed(drawing, divider=False))
    return (
        # No width or height: the shown view (the whole, #start or #end) sets the proportions.
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        'role="img" aria-labelledby="title desc" '
        'font-family="DejaVu Sans, Arial, sans-serif" stroke-linecap="round" stroke-linejoin="round">\n'
        f"  <title id=\"title\">{escape(drawing.title)}</title>\n"
        f"  <desc id=\"desc\">{escape(description)}</desc>\n"
        f'  <view id="start" viewBox="0 0 {WIDTH / 2:g} {HEIGHT:g}"/>\n'
        f'  <view id="end" viewBox="{WIDTH / 2:g} 0 {WIDTH / 2:g} {HEIGHT:g}"/>\n'
        f'  <rect x="0" y="0" width="{WIDTH:g}" height="{HEIGHT:g}" fill="#ffffff"/>\n'
        f"{body}\n</svg>\n"
    )



