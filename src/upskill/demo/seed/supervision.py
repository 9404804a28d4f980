"""Stage 5: inspections, evidence and a spot check."""

from __future__ import annotations

from upskill.organisations.models import Organisation, User
from upskill.supervision import services as supervision_services
from upskill.supervision.models import Inspection
from upskill.training.models import ClassStatus, TrainingClass

from ._common import _picture, _supervise_class


def supervision(o: dict[str, Organisation]) -> int:
    """Supervision of the finished 中式烹调师 class (GA23-INS-1, GA23-PHO-1, GA23-VID-1,
    GA23-EXM-1, GA23-SPT-1): the inspector's four inspections (two by remote video, with
    screenshots), the institution's photos of the four scenes (small generated pictures) and,
    where ffmpeg is installed, a generated 65-second video of each of the three scenes; the same
    practice photo also uploaded to inst3's class (one fraud signal to review); a telephone
    spot check of ten inst1 trainees with two failures (a rectification order)."""
    if Inspection.objects.exists():
        return 0
    cook = TrainingClass.objects.filter(
        organisation=o["inst1"], status=ClassStatus.FINISHED
    ).first()
    domestic = TrainingClass.objects.filter(
        organisation=o["inst3"], status=ClassStatus.RUNNING
    ).first()
    if cook is None:
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    inspector, clerk = users["ga_inspector"], users["inst1_clerk"]

    _supervise_class(
        cook, inspector=inspector, clerk=clerk, specialty="中式烹调师", seed=800, prefix="cook"
    )
    if domestic is not None:
        supervision_services.evidence_upload(
            actor=users["inst3_clerk"],
            training_class=domestic,
            media="photo",
            scene="practice",
            specialty="家政服务员",
            caption="家政服务员 实操课",
            upload=_picture(802, "cook-practice"),  # the same picture as inst1's practice photo
        )
    spot_check = supervision_services.spot_check_draw(
        actor=inspector,
        organisation=o["inst1"],
        subject="trainees",
        method="phone",
        size=10,
        seed="demo-2023",
    )
    for index, item in enumerate(spot_check.items.all()):
        supervision_services.spot_check_item_record(
            actor=inspector,
            item=item,
            result="failed" if index < 2 else "verified",
            note="电话无人接听三次，本人未确认参训" if index < 2 else "本人确认参训",
        )
    supervision_services.spot_check_close(actor=inspector, spot_check=spot_check)
    return 1
