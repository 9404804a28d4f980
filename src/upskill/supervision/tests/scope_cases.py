"""Cross-organisation cases of the supervision app (docs/roles.md): inspections and evidence of an
inst1 class held in 斗湖堤镇 are seen by the Gong'an bureau and inst1 only (not the township
centre, another institution, Wuhan); signals and spot checks by the bureau only; sanctions by
the bureau and the institution itself; upload sessions by the uploading organisation."""

from upskill.core.scoping import SYSTEM
from upskill.core.testing import Route, ScopeCase

_OUTSIDERS = (
    ("inst2", "clerk"),
    ("ent1", "hr_clerk"),
    ("township:421022101", "clerk"),
    ("wuhan", "reviewer"),
    ("federation", "clerk"),
)


def _class(world, organisation: str = "inst1", **kwargs):
    from upskill.training.tests.factories import make_class

    return make_class(world, organisation=organisation, status="running", **kwargs)


def _inspection(world, **_):
    from upskill.supervision.tests.factories import inspect

    return inspect(_class(world), "opening", mode="video")


def _screenshot(world, **_):
    return _inspection(world).screenshots.get()


def _evidence(world, **_):
    from upskill.supervision.tests.factories import upload_photo

    return upload_photo(_class(world), seed=501, scene="opening")


def _media_hash(world, **_):
    return _evidence(world).hashes.get()


def _upload(world, **_):
    from upskill.supervision.services import upload_start

    return upload_start(
        actor=SYSTEM,
        training_class=_class(world),
        media="video",
        scene="theory",
        specialty="中式烹调师",
        filename="theory.mp4",
        size=1000,
    )


def _signal(world, **_):
    from upskill.supervision.models import Signal
    from upskill.supervision.tests.factories import upload_photo

    upload_photo(_class(world, organisation="inst2"), seed=502)
    upload_photo(_class(world), seed=502)
    return Signal.objects.get()


def _spot_check(world, make_person, **_):
    from upskill.supervision.services import spot_check_draw
    from upskill.training.tests.factories import enrol

    enrol(_class(world), make_person, 3)
    return spot_check_draw(
        actor=SYSTEM, organisation=world["inst1"], subject="trainees", method="phone", size=2
    )


def _spot_item(world, make_person, **_):
    return _spot_check(world, make_person).items.first()


def _sanction(world, **_):
    from upskill.supervision.services import sanction_blacklist

    return sanction_blacklist(actor=SYSTEM, organisation=world["inst1"], reason="虚假培训")


SCOPE_CASES = [
    ScopeCase(
        name="Inspection",
        make=_inspection,
        owner=("gongan", "inspector"),
        outsiders=_OUTSIDERS,
        page_url=lambda i: f"/supervision/inspections/{i.pk}/",
        api_url=lambda i: f"/api/supervision/inspections/{i.pk}",
        without_perm=("inst1", "clerk"),
        perm_url=lambda i: f"/supervision/classes/{i.training_class_id}/inspections/",
        perm_method="post",
    ),
    ScopeCase(
        name="InspectionScreenshot",
        make=_screenshot,
        owner=("inst1", "clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda s: f"/supervision/screenshots/{s.pk}/file",
    ),
    ScopeCase(
        name="Evidence",
        make=_evidence,
        owner=("inst1", "clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda e: f"/supervision/evidence/{e.pk}/",
        api_url=lambda e: f"/api/supervision/evidence/{e.pk}",
        routes=(Route("get", lambda e: f"/supervision/evidence/{e.pk}/file"),),
        without_perm=("inst1", "teacher"),
        perm_url=lambda e: f"/supervision/classes/{e.training_class_id}/uploads/",
        perm_method="post",
    ),
    ScopeCase(
        name="MediaHash",
        make=_media_hash,
        owner=("gongan", "inspector"),
        outsiders=_OUTSIDERS,
    ),
    ScopeCase(
        # core's resumable upload (core.models.Upload), opened for an evidence file: the chunks
        # go to core's endpoint, the finish to supervision's
        name="Upload",
        make=_upload,
        owner=("inst1", "clerk"),
        outsiders=(*_OUTSIDERS, ("gongan", "inspector")),
        page_url=lambda u: f"/uploads/{u.pk}/",
        api_url=lambda u: f"/api/supervision/uploads/{u.pk}",
        routes=(
            Route("post", lambda u: f"/uploads/{u.pk}/"),
            Route("post", lambda u: f"/supervision/uploads/{u.pk}/finish/"),
            Route("post", lambda u: f"/api/supervision/uploads/{u.pk}/finish"),
        ),
        without_perm=("inst1", "teacher"),
        perm_url=lambda u: f"/uploads/{u.pk}/",
    ),
    ScopeCase(
        name="Signal",
        make=_signal,
        owner=("gongan", "inspector"),
        outsiders=(("inst1", "admin"), *_OUTSIDERS),
        page_url=lambda s: f"/supervision/signals/{s.pk}/",
        api_url=lambda s: f"/api/supervision/signals/{s.pk}",
        routes=(
            Route("post", lambda s: f"/supervision/signals/{s.pk}/review/"),
            Route("post", lambda s: f"/supervision/signals/{s.pk}/blacklist/"),
            Route(
                "post",
                lambda s: f"/api/supervision/signals/{s.pk}/review",
                data={"outcome": "dismissed", "note": "核实无误"},
            ),
        ),
        without_perm=("gongan", "reviewer"),
        perm_url=lambda s: f"/supervision/signals/{s.pk}/",
    ),
    ScopeCase(
        name="SpotCheck",
        make=_spot_check,
        owner=("gongan", "inspector"),
        outsiders=(("inst1", "admin"), *_OUTSIDERS),
        page_url=lambda s: f"/supervision/spot-checks/{s.pk}/",
        api_url=lambda s: f"/api/supervision/spot-checks/{s.pk}",
        routes=(
            Route("post", lambda s: f"/supervision/spot-checks/{s.pk}/close/"),
            Route("post", lambda s: f"/api/supervision/spot-checks/{s.pk}/close"),
        ),
        without_perm=("gongan", "reviewer"),
        perm_url=lambda s: f"/supervision/spot-checks/{s.pk}/",
    ),
    ScopeCase(
        name="SpotCheckItem",
        make=_spot_item,
        owner=("gongan", "inspector"),
        outsiders=(("inst1", "admin"), *_OUTSIDERS),
        page_url=lambda i: f"/supervision/spot-check-items/{i.pk}/",
        routes=(
            Route(
                "post",
                lambda i: f"/api/supervision/spot-check-items/{i.pk}",
                data={"result": "confirmed"},
            ),
        ),
        perm_method="post",
    ),
    ScopeCase(
        name="Sanction",
        make=_sanction,
        owner=("inst1", "admin"),
        outsiders=(
            ("inst2", "clerk"),
            ("ent1", "hr_clerk"),
            ("wuhan", "reviewer"),
            ("township:421022101", "clerk"),
        ),
        page_url=lambda s: f"/supervision/sanctions/{s.pk}/",
        api_url=lambda s: f"/api/supervision/sanctions/{s.pk}",
    ),
]
