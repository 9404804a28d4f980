"""The files of the reports upward (HB45-RPT-1: plan, half-year progress, year-end summary) and
of the request to reimburse advanced enterprise subsidies (HB61 五), as Excel (openpyxl, text
written as text: ``core.exports``) and as PDF (reportlab, the Chinese text in the embedded font
the certificates use, the charts drawn on the server with ``reportlab.graphics``). They only
lay out figures the selectors counted (``selectors.upward_figures``,
``selectors.reimbursement_figures``): nothing here queries or computes a figure."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from upskill.assessment.pdf import cjk_font
from upskill.core.exports import xlsx_sheets_bytes

from .models import UpwardKind
from .selectors import (
    DIMENSIONS,
    MEASURES,
    ReimbursementFigures,
    Row,
    UpwardFigures,
    dimension_titles,
    measure_labels,
)

# At most this many bars in a chart (the regions or organisers with the most completions).
CHART_BARS = 15
# At most this many rows of a dimension in the PDF (a province's organisers run to thousands):
# the rest are in the Excel file, which has every row.
PDF_ROWS = 50
# Series colours of the charts: target, completed, certified.
_COLOURS = (colors.HexColor("#9aa5b1"), colors.HexColor("#2f6fbf"), colors.HexColor("#3c9d5d"))


def _kind_title(kind: str) -> str:
    return str(UpwardKind(kind).label)


def _rate_text(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate}%"


def _basis(kind: str) -> str:
    if kind == UpwardKind.REIMBURSEMENT:
        return _(
            "HB61 五: enterprises paying unemployment insurance to the province directly train "
            "under plans filed with the local bureau; the local finance advances the subsidies, "
            "the province reimburses them from its skills-upgrading account."
        )
    return _(
        "HB45-RPT-1 (HB45 六(一), 五(三)): the plan at the start of the year, the progress at "
        "half year, the summary at the year's end; every figure is counted from the real-name "
        "training records."
    )


def _heading(figures) -> list[tuple[str, object]]:
    return [
        (_("Region"), figures.region.name),
        (_("Year"), figures.year),
        (_("As of"), figures.as_of),
        (_("Computed at"), timezone.localtime(figures.computed_at).strftime("%Y-%m-%d %H:%M")),
    ]


# -- the rows both formats share ------------------------------------------------------------


def _target_rows(figures: UpwardFigures) -> list[list]:
    return [
        [
            str(view.target.get_line_display()),
            view.target.quantity,
            view.started,
            view.counted,
            view.certified,
            _rate_text(view.rate),
        ]
        for view in figures.targets
    ]


def _target_header() -> list[str]:
    return [
        _("Line of training"),
        _("Target"),
        _("Started"),
        _("Completed"),
        _("Certified"),
        _("Completion rate"),
    ]


def _split_rows(figures: UpwardFigures) -> list[list]:
    rows = []
    for view in figures.targets:
        for split in view.rows:
            rows.append(
                [
                    str(view.target.get_line_display()),
                    str(split.holder),
                    split.share,
                    split.counted,
                    _rate_text(
                        None
                        if not split.share
                        else (Decimal(split.counted) * 100 / Decimal(split.share)).quantize(
                            Decimal("0.1")
                        )
                    ),
                ]
            )
    return rows


def _split_header() -> list[str]:
    return [_("Line of training"), _("Share holder"), _("Share"), _("Completed"), _("Rate")]


def _dimension_header(dimension: str) -> list[str]:
    labels = measure_labels()
    return [
        dimension_titles()[dimension],
        _("Target"),
        *(labels[measure] for measure in MEASURES),
        _("Completion rate"),
    ]


def _dimension_rows(rows: list[Row]) -> list[list]:
    return [
        [
            row.label,
            row.target if row.target is not None else "",
            *(getattr(row, measure) for measure in MEASURES),
            _rate_text(row.rate),
        ]
        for row in rows
    ]


def _total_row(figures: UpwardFigures) -> list:
    totals = figures.board.totals
    return [
        _("Total"),
        totals.target if totals.target is not None else "",
        *(getattr(totals, measure) for measure in MEASURES),
        _rate_text(totals.rate),
    ]


def _reimbursement_header() -> list[str]:
    return [
        _("Enterprise"),
        _("Unified social credit code"),
        _("County"),
        _("Persons trained"),
        _("Approved (yuan)"),
        _("Advanced (yuan)"),
    ]


def _reimbursement_rows(figures: ReimbursementFigures) -> list[list]:
    return [
        [
            row.enterprise.name,
            row.enterprise.credit_code,
            row.county,
            row.persons,
            row.approved,
            row.advanced,
        ]
        for row in figures.rows
    ]


def _reimbursement_total(figures: ReimbursementFigures) -> list:
    return [_("Total"), "", "", figures.persons, figures.approved, figures.advanced]


def _rule_rows(figures: ReimbursementFigures) -> list[list]:
    return [
        [row.enterprise.name, rule, persons, amount]
        for row in figures.rows
        for rule, persons, amount in row.rules
    ]


def _rule_header() -> list[str]:
    return [_("Enterprise"), _("Rule"), _("Persons trained"), _("Advanced (yuan)")]


# -- Excel ----------------------------------------------------------------------------------


def _summary_sheet(kind: str, figures) -> list[list]:
    rows: list[list] = [[_kind_title(kind)], [_basis(kind)], []]
    rows += [[label, value] for label, value in _heading(figures)]
    return rows


def upward_xlsx(figures: UpwardFigures) -> bytes:
    """The plan, half-year report or year-end summary as a workbook: the summary with the
    targets, the split, and one sheet per dimension of the progress."""
    summary = _summary_sheet(figures.kind, figures)
    summary += [[], _target_header(), *_target_rows(figures)]
    header = _dimension_header("programme")
    header[0] = ""
    summary += [[], header, _total_row(figures)]
    sheets = [(_("Summary"), summary)]
    split = _split_rows(figures)
    if split:
        sheets.append((_("Split of the targets"), [_split_header(), *split]))
    for dimension in DIMENSIONS:
        sheets.append(
            (
                dimension_titles()[dimension],
                [_dimension_header(dimension), *_dimension_rows(figures.board.rows[dimension])],
            )
        )
    return xlsx_sheets_bytes(sheets)


def reimbursement_xlsx(figures: ReimbursementFigures) -> bytes:
    """The HB61 五 request as a workbook: the summary, one row per enterprise with its totals,
    and the breakdown by rule."""
    summary = _summary_sheet(UpwardKind.REIMBURSEMENT, figures)
    summary += [
        [],
        [_("Enterprises"), len(figures.rows)],
        [_("Persons trained"), figures.persons],
        [_("Approved (yuan)"), figures.approved],
        [_("Amount requested (yuan)"), figures.advanced],
    ]
    return xlsx_sheets_bytes(
        [
            (_("Summary"), summary),
            (
                _("Enterprises"),
                [
                    _reimbursement_header(),
                    *_reimbursement_rows(figures),
                    _reimbursement_total(figures),
                ],
            ),
            (_("By rule"), [_rule_header(), *_rule_rows(figures)]),
        ]
    )


# -- PDF ------------------------------------------------------------------------------------


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, alignment=1),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=8),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
    }


def _table(font: str, header: list, rows: list[list], total: list | None = None) -> Table:
    def text(value) -> str:
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return str(value)

    data = [[text(v) for v in header], *([text(v) for v in row] for row in rows)]
    if total is not None:
        data.append([text(v) for v in total])
    table = Table(data, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa5b1")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if total is not None:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f5f8")))
    table.setStyle(TableStyle(style))
    return table


def _bar_chart(font: str, title: str, rows: list[Row]) -> Drawing:
    """Target, completed and certified side by side for the first CHART_BARS rows."""
    rows = rows[:CHART_BARS]
    width, height = 170 * mm, 75 * mm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 18 * mm
    chart.width, chart.height = width - 20 * mm, height - 36 * mm
    series = [
        [row.target or 0 for row in rows],
        [row.completed for row in rows],
        [row.certified for row in rows],
    ]
    chart.data = series if rows else [[0], [0], [0]]
    chart.categoryAxis.categoryNames = [row.label[:8] for row in rows] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.barSpacing = 0.5
    for index, colour in enumerate(_COLOURS):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 60 * mm, height - 6
    legend.fontName, legend.fontSize = font, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dxTextSpace = 3
    legend.colorNamePairs = list(
        zip(_COLOURS, [_("Target"), _("Completed"), _("Certified")], strict=True)
    )
    drawing.add(legend)
    return drawing


def _pdf(title: str, build) -> bytes:
    font = cjk_font()
    styles = _styles(font)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="upskill",
    )
    document.build(build(font, styles))
    return buffer.getvalue()


def _heading_flowables(kind: str, figures, styles) -> list:
    story = [
        Paragraph(f"{figures.region.name} {figures.year} {_kind_title(kind)}", styles["title"])
    ]
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            " · ".join(
                f"{label}: {value:%Y-%m-%d}" if hasattr(value, "strftime") else f"{label}: {value}"
                for label, value in _heading(figures)[1:]
            ),
            styles["small"],
        )
    )
    story.append(Paragraph(_basis(kind), styles["small"]))
    return story


def upward_pdf(figures: UpwardFigures) -> bytes:
    """The plan, half-year report or year-end summary as a PDF: the targets with what counts
    against them, the split, the progress per region (chart and table), per programme, per
    organiser and per month."""

    def build(font, styles):
        story = _heading_flowables(figures.kind, figures, styles)
        story.append(Paragraph(_("Targets and progress"), styles["h2"]))
        if figures.targets:
            story.append(_table(font, _target_header(), _target_rows(figures)))
        else:
            story.append(Paragraph(_("No target is set for this year."), styles["body"]))
        split = _split_rows(figures)
        if split:
            story.append(Paragraph(_("Split of the targets"), styles["h2"]))
            story.append(_table(font, _split_header(), split))
        titles = dimension_titles()
        for dimension in DIMENSIONS:
            rows = figures.board.rows[dimension]
            story.append(Paragraph(titles[dimension], styles["h2"]))
            if dimension in ("region", "institution", "month") and rows:
                story.append(_bar_chart(font, titles[dimension], rows))
            total = _total_row(figures) if dimension == "programme" else None
            shown = _dimension_rows(rows[:PDF_ROWS])
            story.append(_table(font, _dimension_header(dimension), shown, total))
            if len(rows) > PDF_ROWS:
                story.append(
                    Paragraph(
                        _(
                            "The first %(shown)s of %(count)s rows, by completions; the Excel "
                            "file has them all."
                        )
                        % {"shown": PDF_ROWS, "count": len(rows)},
                        styles["small"],
                    )
                )
        return story

    return _pdf(_kind_title(figures.kind), build)


def reimbursement_pdf(figures: ReimbursementFigures) -> bytes:
    """The HB61 五 request as a PDF: addressed to the provincial department, the enterprises
    with the persons trained and the amounts approved and advanced, the total requested, the
    breakdown by rule."""

    def build(font, styles):
        story = _heading_flowables(UpwardKind.REIMBURSEMENT, figures, styles)
        story.append(Spacer(1, 3 * mm))
        story.append(
            Paragraph(
                _(
                    "To the provincial HR and social security department: in %(year)s, "
                    "%(count)s enterprises of %(region)s that pay unemployment insurance to the "
                    "province directly trained %(persons)s persons under plans filed with us; "
                    "the local finance advanced %(amount)s yuan of their subsidies. We ask for "
                    "these amounts to be reviewed and reimbursed from the provincial "
                    "skills-upgrading account (HB61 五)."
                )
                % {
                    "year": figures.year,
                    "count": len(figures.rows),
                    "region": figures.region.name,
                    "persons": f"{figures.persons:,}",
                    "amount": f"{figures.advanced:,.2f}",
                },
                styles["body"],
            )
        )
        story.append(Paragraph(_("Enterprises"), styles["h2"]))
        story.append(
            _table(
                font,
                _reimbursement_header(),
                _reimbursement_rows(figures),
                _reimbursement_total(figures),
            )
        )
        rules = _rule_rows(figures)
        if rules:
            story.append(Paragraph(_("By rule"), styles["h2"]))
            story.append(_table(font, _rule_header(), rules))
        story.append(Spacer(1, 12 * mm))
        story.append(
            Paragraph(
                _("%(region)s HR and social security bureau (seal)")
                % {"region": figures.region.name},
                styles["body"],
            )
        )
        story.append(Paragraph(f"{figures.as_of:%Y-%m-%d}", styles["body"]))
        return story

    return _pdf(_kind_title(UpwardKind.REIMBURSEMENT), build)
