"""Reads of the supervision app, already scoped to the actor, and the reads other stages ask:
the live compliance checklist of a class (:func:`class_compliance`, read from the policy
parameters in force for the class's county on its end date, ``supervision.*``) and whether an
institution is blacklisted (:func:`institution_is_blocked`, HB45-BLK-1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill import policy
from upskill.core.hooks import ClassLink
from upskill.core.scoping import Actor, visible
from upskill.organisations.models import Organisation
from upskill.policy_admin.services import parameters_in_effect
from upskill.training.models import Attendance, ClassStatus, EnrolmentStatus, TrainingClass
from upskill.training.selectors import is_organiser

from .models import (
    Evidence,
    Inspection,
    InspectionKind,
    InspectionMode,
    InspectionStatus,
    Media,
    Sanction,
    SanctionKind,
    Scene,
    Signal,
    SignalStatus,
    SpotCheck,
)

RECORD_INSPECTION = "supervision.record_inspection"
UPLOAD_EVIDENCE = "supervision.upload_evidence"
REVIEW_SIGNAL = "supervision.review_signal"
ISSUE_SANCTION = "supervision.issue_sanction"

# Classes whose evidence may be uploaded: from approval (the opening) to after the end.
EVIDENCE_STATES = (ClassStatus.APPROVED, ClassStatus.RUNNING, ClassStatus.FINISHED)


# -- what the actor may do (one place for pages, templates, the API and the services) ----------


def acts_for_bureau(actor: Actor) -> bool:
    """Whether the actor acts for a bureau (an organisation with a jurisdiction), or is the
    superuser / the system: inspections and sanctions are the bureau's work (docs/roles.md)."""
    organisation = getattr(actor, "organisation", None)
    return actor.is_superuser or bool(organisation and organisation.jurisdiction_prefix)


@dataclass(frozen=True)
class ClassSupervisionPermissions:
    """What the actor may do in the supervision of a class."""

    inspect: bool  # record an inspection (the bureau, GA23-INS-1)
    upload: bool  # upload evidence (the organiser, once approved; GA23-PHO-1, GA23-VID-1)
    review_signals: bool  # read and review the class's fraud signals


def class_supervision_permissions(
    *, actor: Actor, obj: TrainingClass
) -> ClassSupervisionPermissions:
    return ClassSupervisionPermissions(
        inspect=acts_for_bureau(actor) and actor.has_perm(RECORD_INSPECTION),
        upload=is_organiser(actor, obj)
        and actor.has_perm(UPLOAD_EVIDENCE)
        and obj.status in EVIDENCE_STATES,
        review_signals=actor.has_perm(REVIEW_SIGNAL),
    )


@dataclass(frozen=True)
class SignalPermissions:
    """What the actor may do with a fraud signal."""

    review: bool
    blacklist: bool  # a confirmed signal may lead to the blacklist (HB45-BLK-1)


def signal_permissions(*, actor: Actor, obj: Signal) -> SignalPermissions:
    return SignalPermissions(
        review=actor.has_perm(REVIEW_SIGNAL),
        blacklist=actor.has_perm(ISSUE_SANCTION) and obj.status == SignalStatus.CONFIRMED,
    )


def classes(*, actor, query: str = "") -> QuerySet:
    """Classes the actor may see that have reached approval, with how many inspections were
    recorded and how much evidence was uploaded (township centres see no supervision)."""
    qs = (
        visible(TrainingClass, actor)
        .exclude(status__in=(ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.RETURNED))
        .select_related("organisation", "catalog_entry__occupation")
        .annotate(
            inspections_done=Count(
                "inspections",
                filter=Q(inspections__status=InspectionStatus.DONE),
                distinct=True,
            ),
            evidence_count=Count("evidence", distinct=True),
        )
        .order_by("-start_date", "pk")
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(organisation__name__icontains=query))
    return qs


def inspections(*, actor, training_class: TrainingClass | None = None) -> QuerySet:
    qs = visible(Inspection, actor).select_related("training_class", "inspector")
    if training_class is not None:
        qs = qs.filter(training_class=training_class)
    return qs.prefetch_related("screenshots")


def evidence(*, actor, training_class: TrainingClass | None = None) -> QuerySet:
    qs = visible(Evidence, actor).select_related("training_class")
    if training_class is not None:
        qs = qs.filter(training_class=training_class)
    return qs


def signals(*, actor, status: str = "", kind: str = "") -> QuerySet:
    qs = visible(Signal, actor).select_related(
        "training_class__organisation",
        "other_class__organisation",
        "evidence",
        "other_evidence",
        "person",
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def spot_checks(*, actor, organisation: Organisation | None = None) -> QuerySet:
    qs = visible(SpotCheck, actor).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def sanctions(*, actor, organisation: Organisation | None = None) -> QuerySet:
    qs = visible(Sanction, actor).select_related("organisation", "spot_check", "signal")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def public_criticisms() -> QuerySet:
    """Public criticisms (通报批评, GA23-SPT-1) are public: anyone may read them."""
    return Sanction.objects.filter(kind=SanctionKind.PUBLIC_CRITICISM).select_related(
        "organisation"
    )


def class_links(*, training_class, actor) -> list:
    """The class ledger's link to inspections and evidence, with the live compliance
    checklist shown inline (GA23-INS-1, GA23-PHO-1, GA23-VID-1; core/hooks.py class.links)."""
    if not actor.has_perm("supervision.view_evidence"):
        return []
    return [
        ClassLink(
            _("Inspections and evidence"),
            reverse("supervision:class_page", args=[training_class.pk]),
            order=10,
            fragment_url=reverse("supervision:compliance", args=[training_class.pk]),
        )
    ]


# -- compliance (GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1, GA23-SYS-1) ----------------


@dataclass(frozen=True)
class ComplianceItem:
    rule: str
    key: str
    label: str
    ok: bool
    status: str  # what is there
    missing: tuple[str, ...]  # what is missing, one sentence each
    reference: str


@dataclass(frozen=True)
class Compliance:
    training_class: TrainingClass
    items: tuple[ComplianceItem, ...]

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def missing(self) -> list[str]:
        return [f"{item.rule}: {m}" for item in self.items for m in item.missing]


def _requirement(params: policy.ParameterSet, name: str, training_class: TrainingClass):
    version = params.lookup(name, training_class.county_code, training_class.end_date)
    if version is None:
        return None, None
    table = version.value
    counts = table.get(training_class.program, table.get("*"))
    return counts, version


def _reference(version) -> str:
    return " ".join(p for p in (version.reference.text(), version.reference.rule) if p)


def class_compliance(
    *, training_class: TrainingClass, params: policy.ParameterSet | None = None
) -> Compliance:
    """The live checklist of a class: each supervision and record rule in force for its county,
    program and end date (``supervision.*`` parameters), green or red with what is missing.
    The claims workflow refuses to submit a claim while :attr:`Compliance.ok` is False."""
    params = params or parameters_in_effect()
    training_class = TrainingClass.objects.select_related(
        "catalog_entry", "township", "organisation"
    ).get(pk=training_class.pk)
    items: list[ComplianceItem] = []
    inspections = list(
        Inspection.objects.filter(training_class=training_class, status=InspectionStatus.DONE)
    )
    evidence = list(Evidence.objects.filter(training_class=training_class))

    counts, version = _requirement(params, "supervision.inspections", training_class)
    if counts:
        routine = [i for i in inspections if i.kind != InspectionKind.EXAM]
        have = {
            "total": len(routine),
            "opening": sum(i.kind == InspectionKind.OPENING for i in routine),
            "during_on_site": sum(
                i.kind == InspectionKind.DURING and i.mode == InspectionMode.ON_SITE
                for i in routine
            ),
            "closing": sum(i.kind == InspectionKind.CLOSING for i in routine),
        }
        labels = {
            "total": _("inspections in all"),
            "opening": _("at the opening"),
            "during_on_site": _("on site during training"),
            "closing": _("at the closing"),
        }
        missing = tuple(
            _("%(have)d of %(need)d %(what)s") % {"have": have[k], "need": n, "what": labels[k]}
            for k, n in counts.items()
            if have.get(k, 0) < n
        )
        items.append(
            ComplianceItem(
                "GA23-INS-1" if version.reference.rule == "" else version.reference.rule,
                "inspections",
                _("Inspections"),
                not missing,
                _("%(n)d recorded") % {"n": have["total"]},
                missing,
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.photos", training_class)
    if counts:
        have = defaultdict(int)
        for e in evidence:
            if e.media == Media.PHOTO:
                have[e.scene] += 1
        missing = tuple(
            _("a photo of the %(scene)s") % {"scene": _scene_label(k)}
            for k, n in counts.items()
            if have[k] < n
        )
        items.append(
            ComplianceItem(
                version.reference.rule,
                "photos",
                _("Photos"),
                not missing,
                _("%(n)d photos") % {"n": sum(have.values())},
                missing,
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.videos", training_class)
    if counts:
        minimum_version = params.lookup(
            "supervision.video_min_seconds", training_class.county_code, training_class.end_date
        )
        minimum = Decimal(minimum_version.value) if minimum_version else Decimal(0)
        good, short = defaultdict(int), defaultdict(list)
        for e in evidence:
            if e.media != Media.VIDEO:
                continue
            if (e.duration or 0) >= minimum:
                good[e.scene] += 1
            else:
                short[e.scene].append(e.duration or Decimal(0))
        missing = []
        for k, n in counts.items():
            if good[k] >= n:
                continue
            if short[k]:
                missing.append(
                    _(
                        "a video of the %(scene)s of at least %(min)s s "
                        "(the one uploaded has %(s)s s)"
                    )
                    % {"scene": _scene_label(k), "min": minimum, "s": f"{max(short[k]):.1f}"}
                )
            else:
                missing.append(
                    _("a video of the %(scene)s of at least %(min)s s")
                    % {"scene": _scene_label(k), "min": minimum}
                )
        items.append(
            ComplianceItem(
                version.reference.rule,
                "videos",
                _("Videos"),
                not missing,
                _("%(n)d videos of at least %(min)s s") % {"n": sum(good.values()), "min": minimum},
                tuple(missing),
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.exam_supervision", training_class)
    if counts:
        held = sum(i.kind == InspectionKind.EXAM for i in inspections)
        need = counts.get("exam_supervision", 0)
        missing = () if held >= need else (_("the bureau has not supervised the final exam"),)
        items.append(
            ComplianceItem(
                version.reference.rule,
                "exam",
                _("Exam supervised"),
                not missing,
                _("%(n)d supervisions") % {"n": held},
                missing,
                _reference(version),
            )
        )

    counts, version = _requirement(params, "supervision.class_records", training_class)
    if counts:
        items.extend(_record_items(training_class, counts, version))
    return Compliance(training_class=training_class, items=tuple(items))


def _scene_label(key: str) -> str:
    return str(Scene(key).label) if key in Scene.values else key


def _record_items(training_class: TrainingClass, counts: dict, version) -> list[ComplianceItem]:
    """GA23-SYS-1: the first lesson, attendance at every lesson held, the survey of every
    trainee."""
    items = []
    reference = _reference(version)
    rule = version.reference.rule
    if counts.get("first_lesson"):
        done = training_class.first_lesson_date is not None
        items.append(
            ComplianceItem(
                rule,
                "first_lesson",
                _("First lesson (policy briefing)"),
                done,
                f"{training_class.first_lesson_date:%Y-%m-%d}" if done else "—",
                () if done else (_("the first lesson is not recorded"),),
                reference,
            )
        )
    enrolled = training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    if counts.get("attendance"):
        today = timezone.localdate()
        held = list(training_class.lessons.filter(date__lte=today))
        kept = set(Attendance.objects.filter(lesson__in=held).values_list("lesson_id", flat=True))
        without = [lesson for lesson in held if lesson.pk not in kept]
        missing = []
        if not enrolled.exists():
            missing.append(_("no trainee is enrolled"))
        if not held:
            missing.append(_("no lesson has been held yet"))
        if without:
            missing.append(
                _("no attendance at %(n)d lessons (first: %(day)s)")
                % {"n": len(without), "day": f"{without[0].date:%Y-%m-%d}"}
            )
        items.append(
            ComplianceItem(
                rule,
                "attendance",
                _("Attendance"),
                not missing,
                _("%(kept)d of %(held)d lessons")
                % {"kept": len(held) - len(without), "held": len(held)},
                tuple(missing),
                reference,
            )
        )
    if counts.get("survey"):
        total = enrolled.count()
        answered = enrolled.filter(survey_response__isnull=False).count()
        missing = []
        if not total:
            missing.append(_("no trainee is enrolled"))
        elif answered < total:
            missing.append(
                _("%(n)d trainees have not answered the satisfaction survey")
                % {"n": total - answered}
            )
        items.append(
            ComplianceItem(
                rule,
                "survey",
                _("Satisfaction survey"),
                not missing,
                _("%(a)d of %(t)d answered") % {"a": answered, "t": total},
                tuple(missing),
                reference,
            )
        )
    return items


# -- fraud signals ------------------------------------------------------------------------------


# -- sanctions in force (HB45-BLK-1) ------------------------------------------------------------


def institution_is_blocked(organisation: Organisation | None, on: date | None = None) -> bool:
    """True while a blacklist entry is in force for the organisation (HB45-BLK-1): it may not
    file new classes or submit subsidy claims."""
    if organisation is None:
        return False
    return (
        Sanction.objects.filter(organisation=organisation, kind=SanctionKind.BLACKLIST)
        .in_force(on or timezone.localdate())
        .exists()
    )


def blocked_problems(organisation: Organisation | None, on: date | None = None) -> list[str]:
    """The refusal a blocked organisation gets when it files a class or a claim."""
    if not institution_is_blocked(organisation, on):
        return []
    return [
        _(
            "HB45-BLK-1: %(org)s is blacklisted for fraud and may not file classes or claims "
            "while the entry is in force."
        )
        % {"org": organisation.name}
    ]
