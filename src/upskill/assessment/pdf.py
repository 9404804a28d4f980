"""The certificate as a PDF (HB61-CRT-1): A4 landscape, the Chinese text in an *embedded*
TrueType font (WenQuanYi Zen Hei, Debian's ``fonts-wqy-zenhei``, registered as a reportlab
``TTFont`` so its glyphs travel inside the file and any viewer shows them, unlike a CID font
the viewer must supply), and a QR code (segno) of the public verification address."""

from __future__ import annotations

import io
from functools import cache

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .models import Certificate

FONT_NAME = "UpskillCJK"
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@cache
def _font() -> str:
    path = getattr(settings, "UPSKILL_CJK_FONT", "") or DEFAULT_FONT
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    except Exception as exc:  # a missing or unreadable font file
        raise ImproperlyConfigured(
            f"The certificate font {path} cannot be read ({exc}); install Debian's "
            "fonts-wqy-zenhei (`make system-deps`) or set UPSKILL_CJK_FONT to a TrueType font."
        ) from exc
    return FONT_NAME


def cjk_font() -> str:
    """The embedded Chinese font's registered name, for the other PDFs the product prints (the
    agreements of the Wuhan enrolment path)."""
    return _font()


def qr_png(payload: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _level_text(level: int | None) -> str:
    names = {
        1: "一级/高级技师",
        2: "二级/技师",
        3: "三级/高级工",
        4: "四级/中级工",
        5: "五级/初级工",
    }
    return names.get(level or 0, "")


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


FRAME_INSET = 15 * mm  # the inner frame's distance from the page's edges
URL_WIDTH = 140 * mm  # the widest the verification address may be printed


def qr_box(width: float) -> tuple[float, float, float]:
    """x, y and side of the QR code: bottom right, inside the inner frame, above the code and
    the address printed under it."""
    size = 42 * mm
    return width - FRAME_INSET - 12 * mm - size, 40 * mm, size


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The printable certificate; ``verify_url`` (the absolute public verification address of
    ``certificate.verification_path``) is encoded in the QR code and printed under it with the
    verification code, inside the frame and clear of the text (HB61-CRT-1)."""
    font = _font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{certificate.title} {certificate.serial}")
    pdf.setAuthor(certificate.issuing_body)
    pdf.setLineWidth(2)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.6)
    pdf.rect(FRAME_INSET, FRAME_INSET, width - 2 * FRAME_INSET, height - 2 * FRAME_INSET)

    pdf.setFont(font, 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, certificate.title)
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, height - 55 * mm, f"证书编号：{certificate.serial}")

    lines = [
        ("姓　　名", certificate.holder_name),
        ("身份证号", certificate.id_number_masked),
        ("培训项目", certificate.project),
        ("职业（工种）", certificate.occupation_name),
        ("等　　级", _level_text(certificate.level)),
        (
            "培训时间",
            f"{_date(certificate.training_start)} 至 {_date(certificate.training_end)}"
            if certificate.training_start
            else "",
        ),
        ("培训机构", certificate.institution_name),
        ("发证机关", certificate.issuing_body),
        ("发证日期", _date(certificate.issue_date)),
    ]
    y = height - 75 * mm
    pdf.setFont(font, 15)
    for label, value in lines:
        if not value:
            continue
        pdf.drawString(40 * mm, y, f"{label}：")
        pdf.drawString(80 * mm, y, str(value))
        y -= 11 * mm
    if certificate.kind == "training":
        pdf.setFont(font, 13)
        pdf.drawString(
            40 * mm,
            y - 4 * mm,
            "该学员参加职业技能培训，经理论知识考试和实际操作考核合格，特发此证。",
        )

    x, qy, size = qr_box(width)
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(verify_url))), x, qy, size, size)
    right = width - FRAME_INSET - 7 * mm  # the verification block ends inside the inner frame
    pdf.setFont(font, 11)
    pdf.drawRightString(right, qy - 6 * mm, f"查验码：{certificate.verification_code}")
    pdf.setFont(font, 9)
    pdf.drawRightString(right, qy - 11 * mm, "扫码或登录以下网址，输入证书编号和查验码查验证书")
    # the address on one line, as small as it must be to stay right of the body text
    url_size = 8.0
    while url_size > 5 and pdfmetrics.stringWidth(verify_url, "Helvetica", url_size) > URL_WIDTH:
        url_size -= 0.25
    pdf.setFont("Helvetica", url_size)
    pdf.drawRightString(right, qy - 16 * mm, verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _latin(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


def table_pdf(
    *, title: str, subtitle: str, header: list[str], rows: list[list], widths: list[float]
) -> bytes:
    """A printable table on A4 landscape pages (the roster of qualified trainees, HB61-DOC-1),
    with the certificate's embedded CJK font. Cells that are plain ASCII (numbers, masked ID
    numbers, dates, amounts) are drawn in Helvetica, so they stay legible in the file itself;
    the page streams are not compressed. ``widths`` are the columns' widths in millimetres."""
    font = _font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=0)
    pdf.setTitle(title)
    left, top, line = 15 * mm, height - 20 * mm, 7 * mm

    def page_head() -> float:
        pdf.setFont(font, 16)
        pdf.drawCentredString(width / 2, top, title)
        pdf.setFont(font, 10)
        pdf.drawCentredString(width / 2, top - 7 * mm, subtitle)
        y = top - 17 * mm
        _row(header, y, bold=True)
        return y - line

    def _row(cells, y, bold=False) -> None:
        x = left
        for cell, column in zip(cells, widths, strict=True):
            text = "" if cell is None else str(cell)
            pdf.setFont(
                "Helvetica-Bold"
                if bold and _latin(text)
                else ("Helvetica" if _latin(text) else font),
                9,
            )
            pdf.drawString(x + 1 * mm, y, text)
            x += column * mm
        pdf.line(left, y - 2 * mm, x, y - 2 * mm)

    y = page_head()
    for cells in rows:
        if y < 15 * mm:
            pdf.showPage()
            y = page_head()
        _row(cells, y)
        y -= line
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
