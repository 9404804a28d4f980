"""The two papers an employee signs before training (WH20-LVE-1, WH20 附件3 五), generated from
the enrolment as a PDF: the 告知事项 (what the training is, what it costs and who pays, what
happens on leaving) and the 个人需求式培训补贴代扣协议书 (the enterprise may deduct what it
advanced, less the exam fee when the employee leaves before registering for the exam). The
Chinese text is in the embedded font the certificates use."""

from __future__ import annotations

import io
import textwrap

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from upskill.assessment.pdf import cjk_font

from .models import Nomination, Payer
from .selectors import fee_of


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "____年__月__日"


def _paragraphs(pdf, font: str, top: float, paragraphs: list[str], width_chars: int = 38) -> float:
    y = top
    pdf.setFont(font, 12)
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, width_chars) or [""]:
            pdf.drawString(22 * mm, y, line)
            y -= 7 * mm
        y -= 3 * mm
    return y


def agreements_pdf(nomination: Nomination) -> bytes:
    """Both papers of one employee, one page each, with the figures of the enrolment."""
    font = cjk_font()
    application = nomination.application
    batch = application.batch
    fee = fee_of(nomination)
    person = nomination.person
    occupations = "、".join(
        f"{line.occupation.name}（{line.occupation.get_level_display()}）" for line in fee.lines
    )
    payer = "企业先行垫付" if nomination.payer == Payer.ENTERPRISE else "职工本人交纳"
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"告知事项 · 代扣协议书 · {person.name}")
    pdf.setAuthor(application.enterprise.name)

    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, height - 30 * mm, "告知事项")
    _paragraphs(
        pdf,
        font,
        height - 48 * mm,
        [
            f"职工：{person.name}（身份证号 {person.id_number_masked}）",
            f"企业：{application.enterprise.name}",
            f"培训：{batch.call.title}，{batch.name}，"
            f"由{batch.institution.name}在{batch.platform.name}组织线上职业技能等级培训，"
            f"{_date(batch.start_date)}至{_date(batch.end_date)}。",
            f"报名工种：{occupations}（通用工种+专用工种，WH20-ENR-2）。",
            f"培训费用：每人每证{fee.lines[0].price}元，合计{fee.total}元，"
            f"其中高级（三级）报考费共{fee.exam_fees}元（WH20-FEE-1）；费用由{payer}。",
            "取证后由培训机构代申请职业技能提升补贴和企业线上培训补贴。",
            "培训期间离职的，企业可在办理离职手续时按《个人需求式培训补贴代扣协议书》"
            "扣除企业垫付的相关费用（WH20-LVE-1）。",
        ],
    )
    pdf.setFont(font, 12)
    pdf.drawString(22 * mm, 40 * mm, "职工签字：______________    日期：" + _date(None))
    pdf.showPage()

    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, height - 30 * mm, "个人需求式培训补贴代扣协议书")
    _paragraphs(
        pdf,
        font,
        height - 48 * mm,
        [
            f"甲方（企业）：{application.enterprise.name}",
            f"乙方（职工）：{person.name}（身份证号 {person.id_number_masked}）",
            f"一、乙方自愿参加{occupations}的线上职业技能等级培训，"
            f"培训及考试费用合计{fee.total}元，{payer}。",
            "二、乙方在培训期间离职的，甲方可在乙方办理离职手续时，"
            "直接扣除甲方为乙方垫付的培训费用。",
            f"三、乙方在报名参加考试之前离职的，扣除金额不含尚未发生的报考费"
            f"（共{fee.exam_fees}元）。",
            "四、乙方取得职业技能等级证书后，职业技能提升补贴按规定发放至乙方本人。",
            "五、本协议一式两份，甲乙双方各执一份，自双方签字之日起生效。",
        ],
    )
    pdf.setFont(font, 12)
    pdf.drawString(22 * mm, 48 * mm, "甲方（盖章）：______________")
    pdf.drawString(22 * mm, 38 * mm, "乙方签字：______________    日期：" + _date(None))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
