"""What every PDF of the app shares: the fonts, colours and paragraph styles, tables, and the page
furniture (a footer naming the patient, "Page 2 of 3"). Used by the progress report and the
programme handout."""

import os
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from tracker import metrics

# DejaVu Sans ships with matplotlib (a dependency already): unlike the PDF base fonts it covers
# accents, Greek, Cyrillic and symbols such as ÷ and ≥, so any name or note prints as typed.
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_DIR = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
if FONT not in pdfmetrics.getRegisteredFontNames():
    for _name in (FONT, FONT_BOLD, "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        pdfmetrics.registerFont(TTFont(_name, os.path.join(_FONT_DIR, f"{_name}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic="DejaVuSans-Oblique", boldItalic="DejaVuSans-BoldOblique"
    )

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#BBBBBB")
SHADE = colors.HexColor("#EEF2F6")
DANGER = colors.HexColor("#B00020")
DANGER_BG = colors.HexColor("#FDECEE")

STYLES = {
    "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=INK,
                            spaceAfter=4 * mm),
    "h2": ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=12.5, leading=16, textColor=INK,
                         spaceBefore=5 * mm, spaceAfter=2 * mm),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK),
    "bold": ParagraphStyle("bold", fontName=FONT_BOLD, fontSize=9.5, leading=13, textColor=INK),
    "value": ParagraphStyle("value", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=INK),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=11.5, textColor=MUTED),
    "caption": ParagraphStyle("caption", fontName=FONT, fontSize=9, leading=12, textColor=INK,
                              spaceBefore=1.5 * mm, spaceAfter=4 * mm),
    "flag_title": ParagraphStyle("flag_title", fontName=FONT_BOLD, fontSize=12, leading=15,
                                 textColor=DANGER),
    "flag": ParagraphStyle("flag", fontName=FONT_BOLD, fontSize=10, leading=13.5, textColor=INK,
                           leftIndent=4 * mm, bulletIndent=0),
}


def text(value) -> str:
    """User or data text made safe for Paragraph markup; line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def para(value, style: str = "body") -> Paragraph:
    return Paragraph(text(value), STYLES[style])


def table(rows, widths, *, header: bool = True, value_column: int | None = None) -> Table:
    cells = []
    for index, row in enumerate(rows):
        if header and index == 0:
            cells.append([para(cell, "bold") for cell in row])
        else:
            cells.append([
                para(cell, "value" if column == value_column else "body") for column, cell in enumerate(row)
            ])
    grid = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    grid.setStyle(TableStyle(style))
    return grid


def red_flags_box(flags) -> Table:
    """"Act on this today": the red flags' messages in a red box, and the pause when one is urgent."""
    content = [Paragraph("Act on this today", STYLES["flag_title"])]
    content += [Paragraph(text(flag.message), STYLES["flag"], bulletText="•") for flag in flags]
    if metrics.pauses_exercise(flags):
        content.append(Paragraph(text(metrics.EXERCISE_PAUSED_ADVICE), STYLES["flag"]))
    box = Table([[content]], colWidths=[FRAME_WIDTH])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.5, DANGER),
        ("BACKGROUND", (0, 0), (-1, -1), DANGER_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
    ]))
    return box


def footer(pdf: canvas.Canvas, doc) -> None:
    """The footer of every page: what the document is (doc.footer_text) and whose (doc.patient_label)."""
    pdf.saveState()
    pdf.setFont(FONT, 8)
    pdf.setFillColor(MUTED)
    pdf.setStrokeColor(RULE)
    pdf.line(MARGIN, 15 * mm, A4[0] - MARGIN, 15 * mm)
    pdf.drawString(MARGIN, 11 * mm, doc.footer_text)
    label = doc.patient_label
    while pdfmetrics.stringWidth(label, FONT, 8) > FRAME_WIDTH and len(label) > 1:
        label = label[:-2] + "…"
    pdf.drawString(MARGIN, 7.5 * mm, label)
    pdf.restoreState()


class NumberedCanvas(canvas.Canvas):
    """Holds every page back until the end so each footer can say "Page 2 of 3"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for page in self._pages:
            self.__dict__.update(page)
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.drawRightString(A4[0] - MARGIN, 11 * mm, f"Page {self._pageNumber} of {len(self._pages)}")
            super().showPage()
        super().save()
