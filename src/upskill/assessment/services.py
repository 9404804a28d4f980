"""Writes of the assessment app. Every function takes the acting user or token first.

* Pass marks are the bureau's setting per occupation and level (GA23-CRT-1; 60 of 100 for each
  part when the bureau set none).
* An exam session examines a class: every trainee the first time, then those not yet passed
  (WH20-EXM-1: retakes unlimited until passed; each attempt kept). Scores are typed in on the
  examiner's page or imported from a spreadsheet (all or nothing, ``core/imports.py``).
* Confirming a session's results issues the training certificate to each trainee who passed
  (GA23-CRT-1, HB61-CRT-1); certificates issued elsewhere are recorded and verified by the
  bureau. An issued or verified certificate is announced on the ``certificate.issued`` hook
  (``core/hooks.py``), which employment answers (GA23-EMP-1): this module never imports it.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from upskill.core import hooks
from upskill.core.actor import user_of
from upskill.core.imports import Column, ImportRejected, RowProblem, read_rows, run_import
from upskill.core.scoping import get_visible_or_404, require_perm
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.registry.identity import IdentityError, parse_resident_id
from upskill.registry.models import Person
from upskill.registry.services import id_number_hash
from upskill.training.models import ClassStatus, EnrolmentStatus, TrainingClass

from .models import (
    DEFAULT_FULL_MARKS,
    DEFAULT_PASS_MARK,
    Attempt,
    AttemptResult,
    Certificate,
    CertificateKind,
    CertificateSource,
    ExamSession,
    PassMark,
    SessionStatus,
    Verification,
    _region_chain,
)

VIEW_SESSION = "assessment.view_examsession"
ADD_SESSION = "assessment.add_examsession"
ENTER_SCORES = "assessment.enter_scores"
SET_PASS_MARK = "assessment.change_passmark"  # noqa: S105  (a permission name)
VIEW_CERTIFICATE = "assessment.view_certificate"
ADD_CERTIFICATE = "assessment.add_certificate"
VERIFY_CERTIFICATE = "assessment.verify_certificate"
VIEW_ARCHIVE = "assessment.view_archive"

# Classes that can be examined: the exam is at the end of the training or after it.
EXAM_STATES = (ClassStatus.RUNNING, ClassStatus.FINISHED)
# Cells of a score sheet that mean "absent" (缺考).
ABSENT_WORDS = frozenset({"缺考", "缺席", "缺", "absent", "ABSENT", "Absent"})


def _organiser(actor, training_class: TrainingClass, perm: str) -> None:
    """Owner-only actions: the organiser of the class (its examiners) acts, nobody else."""
    organisation = getattr(actor, "organisation", None)
    if not actor.is_superuser and (
        organisation is None or organisation.pk != training_class.organisation_id
    ):
        raise PermissionDenied(perm)


# -- pass marks (GA23-CRT-1) --------------------------------------------------------------------


@dataclass(frozen=True)
class Marks:
    full_marks: Decimal
    theory: Decimal
    practical: Decimal
    online_theory_exempts: bool
    source: PassMark | None  # None: the default of GA23-CRT-1


def pass_marks_for(occupation_name: str, level: int, county_code: str) -> Marks:
    """The pass marks in force for an occupation and level in a county: the county bureau's
    setting, else its city's, else the province's, else 60 of 100 for each part (GA23-CRT-1)."""
    chain = _region_chain(county_code)
    found = {
        mark.region.code: mark
        for mark in PassMark.objects.filter(
            region__code__in=chain, occupation_name=occupation_name, level=level
        ).select_related("region")
    }
    for code in chain:
        mark = found.get(code)
        if mark is not None:
            return Marks(
                mark.full_marks,
                mark.theory_pass_mark,
                mark.practical_pass_mark,
                mark.online_theory_exempts,
                mark,
            )
    return Marks(DEFAULT_FULL_MARKS, DEFAULT_PASS_MARK, DEFAULT_PASS_MARK, True, None)


@transaction.atomic
def pass_mark_set(
    *,
    actor,
    region: Region,
    occupation_name: str,
    level: int,
    theory_pass_mark: Decimal,
    practical_pass_mark: Decimal,
    full_marks: Decimal = DEFAULT_FULL_MARKS,
    online_theory_exempts: bool = True,
    document: str = "",
) -> PassMark:
    """A bureau sets the pass marks of an occupation and level in its jurisdiction
    (GA23-CRT-1). Sessions already scheduled keep the marks they were given."""
    require_perm(actor, SET_PASS_MARK)
    organisation = getattr(actor, "organisation", None)
    if not actor.is_superuser:
        prefix = organisation.jurisdiction_prefix if organisation is not None else None
        if not prefix or not region.code.startswith(prefix):
            raise PermissionDenied(SET_PASS_MARK)
    if region.level == "township":
        raise ValidationError({"region": _("Pass marks are set for a county, city or province.")})
    occupation_name = " ".join(str(occupation_name).split())
    if not occupation_name:
        raise ValidationError({"occupation_name": _("Name the occupation.")})
    full_marks, theory, practical = (
        Decimal(full_marks),
        Decimal(theory_pass_mark),
        Decimal(practical_pass_mark),
    )
    for key, value in (("theory_pass_mark", theory), ("practical_pass_mark", practical)):
        if not (Decimal(0) < value <= full_marks):
            raise ValidationError(
                {
                    key: _("A pass mark lies between 0 and the full marks (%(f)s).")
                    % {"f": full_marks}
                }
            )
    mark, _created = PassMark.objects.update_or_create(
        region=region,
        occupation_name=occupation_name,
        level=level,
        defaults={
            "full_marks": full_marks,
            "theory_pass_mark": theory,
            "practical_pass_mark": practical,
            "online_theory_exempts": online_theory_exempts,
            "document": document,
            "set_by": organisation,
        },
    )
    return mark


# -- exam sessions and attempts (GA23-CRT-1, WH20-EXM-1, HB61-ONL-1) ----------------------------


def passed_enrolment_ids(training_class: TrainingClass) -> set[int]:
    return set(
        Attempt.objects.filter(
            session__training_class=training_class, result=AttemptResult.PASSED
        ).values_list("enrolment_id", flat=True)
    )


@transaction.atomic
def session_create(
    *, actor, training_class: TrainingClass, date: date, place: str, examiners: str
) -> ExamSession:
    """Schedule an exam session of a class with the pass marks in force (GA23-CRT-1). The first
    examines every enrolled trainee; a retake (the previous session's results confirmed)
    examines those not yet passed, each as a new attempt (WH20-EXM-1)."""
    training_class = get_visible_or_404(
        TrainingClass.objects.select_for_update(), actor, perm=ADD_SESSION, pk=training_class.pk
    )
    _organiser(actor, training_class, ADD_SESSION)
    if training_class.status not in EXAM_STATES:
        raise ValidationError(
            _("A class is examined while it runs or once it is finished (now: %(s)s).")
            % {"s": training_class.get_status_display()}
        )
    last = training_class.exam_sessions.order_by("-number").first()
    if last is not None and last.is_open:
        raise ValidationError(
            _("Confirm the results of session %(n)d before scheduling a retake.")
            % {"n": last.number}
        )
    passed = passed_enrolment_ids(training_class)
    candidates = list(
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .exclude(pk__in=passed)
        .order_by("pk")
    )
    if not candidates:
        raise ValidationError(_("Every trainee of the class has passed: no one left to examine."))
    if not str(place).strip() or not str(examiners).strip():
        raise ValidationError(_("Give the place and the examiners."))
    occupation = training_class.catalog_entry.occupation
    marks = pass_marks_for(occupation.name, occupation.level, training_class.county_code)
    session = ExamSession.objects.create(
        training_class=training_class,
        number=(last.number + 1) if last else 1,
        date=date,
        place=str(place).strip(),
        examiners=str(examiners).strip(),
        full_marks=marks.full_marks,
        theory_pass_mark=marks.theory,
        practical_pass_mark=marks.practical,
        online_theory_exempts=marks.online_theory_exempts,
        created_by=user_of(actor),
    )
    earlier = {}
    for enrolment_id in Attempt.objects.filter(enrolment__in=candidates).values_list(
        "enrolment_id", flat=True
    ):
        earlier[enrolment_id] = earlier.get(enrolment_id, 0) + 1
    for enrolment in candidates:
        Attempt.objects.create(
            session=session,
            enrolment=enrolment,
            attempt_number=earlier.get(enrolment.pk, 0) + 1,
        )
    return session


def attempt_result(attempt: Attempt, session: ExamSession | None = None) -> str:
    """Passed when the theory part (or its exemption, HB61-ONL-1) and the practical part each
    reach the session's pass mark (GA23-CRT-1); absent when the trainee missed a part."""
    session = session or attempt.session
    if attempt.theory_absent or attempt.practical_absent:
        return AttemptResult.ABSENT
    theory_ok = attempt.theory_exempt or (
        attempt.theory_score is not None and attempt.theory_score >= session.theory_pass_mark
    )
    if (not attempt.theory_exempt and attempt.theory_score is None) or (
        attempt.practical_score is None
    ):
        return AttemptResult.PENDING
    if theory_ok and attempt.practical_score >= session.practical_pass_mark:
        return AttemptResult.PASSED
    return AttemptResult.FAILED


def _open_attempt(actor, attempt: Attempt) -> Attempt:
    attempt = get_visible_or_404(
        Attempt.objects.select_related("session__training_class", "enrolment__person"),
        actor,
        perm=ENTER_SCORES,
        pk=attempt.pk,
    )
    _organiser(actor, attempt.session.training_class, ENTER_SCORES)
    if not attempt.session.is_open:
        raise ValidationError(
            _(
                "The results of this session are confirmed; a trainee who failed retakes in a new "
                "session (WH20-EXM-1)."
            )
        )
    return attempt


def parse_score(value, full_marks: Decimal, field: str) -> Decimal | None:
    """A score typed in or read from a sheet: blank → None; a number from 0 to the full marks,
    at most one decimal."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        score = value
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            score = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                {field: _("“%(v)s” is not a score.") % {"v": text[:20]}}
            ) from None
    if not score.is_finite() or score < 0 or score > full_marks:
        raise ValidationError({field: _("A score lies between 0 and %(f)s.") % {"f": full_marks}})
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError({field: _("Give the score with at most one decimal.")})
    return score.quantize(Decimal("0.1"))


@transaction.atomic
def attempt_record(
    *,
    actor,
    attempt: Attempt,
    theory_score: Decimal | str | None = None,
    practical_score: Decimal | str | None = None,
    theory_absent: bool = False,
    practical_absent: bool = False,
) -> Attempt:
    """The examiner enters one trainee's scores and absences (GA23-CRT-1); the result follows
    from the session's pass marks."""
    attempt = _open_attempt(actor, attempt)
    session = attempt.session
    attempt.theory_absent = bool(theory_absent) and not attempt.theory_exempt
    attempt.practical_absent = bool(practical_absent)
    if attempt.theory_exempt:
        attempt.theory_score = None
    else:
        attempt.theory_score = (
            None
            if attempt.theory_absent
            else parse_score(theory_score, session.full_marks, "theory_score")
        )
    attempt.practical_score = (
        None
        if attempt.practical_absent
        else parse_score(practical_score, session.full_marks, "practical_score")
    )
    attempt.result = attempt_result(attempt, session)
    attempt.recorded_by = user_of(actor)
    attempt.save()
    return attempt


@transaction.atomic
def attempt_exempt_theory(
    *, actor, attempt: Attempt, online_score: Decimal | str, reference: str
) -> Attempt:
    """Record an online theory test result that exempts the trainee from the theory part
    (HB61-ONL-1), where the bureau's setting for the occupation allows it and the result
    reaches the theory pass mark."""
    attempt = _open_attempt(actor, attempt)
    session = attempt.session
    if not session.online_theory_exempts:
        raise ValidationError(
            _(
                "HB61-ONL-1: for this occupation and level the bureau does not accept an online "
                "theory result in place of the theory exam."
            )
        )
    score = parse_score(online_score, session.full_marks, "online_theory_score")
    if score is None:
        raise ValidationError({"online_theory_score": _("Give the online theory score.")})
    if score < session.theory_pass_mark:
        raise ValidationError(
            {
                "online_theory_score": _(
                    "HB61-ONL-1: an online theory result exempts only when it reaches the theory "
                    "pass mark (%(m)s)."
                )
                % {"m": session.theory_pass_mark}
            }
        )
    reference = " ".join(str(reference).split())
    if not reference:
        raise ValidationError(
            {"online_theory_reference": _("Name the platform and the result number.")}
        )
    attempt.theory_exempt = True
    attempt.theory_absent = False
    attempt.theory_score = None
    attempt.online_theory_score = score
    attempt.online_theory_reference = reference[:128]
    attempt.result = attempt_result(attempt, session)
    attempt.recorded_by = user_of(actor)
    attempt._change_reason = "HB61-ONL-1"
    attempt.save()
    return attempt


@transaction.atomic
def session_close(*, actor, session: ExamSession) -> list[Certificate]:
    """Confirm the session's results once every trainee is marked; each trainee who passed is
    issued the training certificate (GA23-CRT-1). Returns the certificates issued."""
    session = get_visible_or_404(
        ExamSession.objects.select_for_update().select_related("training_class"),
        actor,
        perm=ENTER_SCORES,
        pk=session.pk,
    )
    _organiser(actor, session.training_class, ENTER_SCORES)
    if not session.is_open:
        raise ValidationError(_("The results of this session are already confirmed."))
    pending = session.attempts.filter(result=AttemptResult.PENDING).count()
    if pending:
        raise ValidationError(
            _("%(n)d trainees have no result yet: enter their scores or mark them absent.")
            % {"n": pending}
        )
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    issued = []
    for attempt in session.attempts.filter(result=AttemptResult.PASSED).select_related(
        "enrolment__person"
    ):
        issued.append(certificate_issue(actor=actor, attempt=attempt, on=session.date))
    return issued


# -- the score sheet import (core/imports.py) ---------------------------------------------------


def score_columns() -> list[Column]:
    return [
        Column("name", ("姓名", "学员姓名", "考生姓名", "Name"), _lazy("Name")),
        Column(
            "id_number",
            ("身份证号码", "身份证号", "公民身份号码", "证件号码", "ID number"),
            _lazy("ID number"),
        ),
        Column(
            "theory",
            ("理论成绩", "理论知识成绩", "理论", "理论考试成绩", "Theory score"),
            _lazy("Theory score"),
        ),
        Column(
            "practical",
            ("实操成绩", "技能操作成绩", "实操", "实际操作成绩", "Practical score"),
            _lazy("Practical score"),
        ),
    ]


@dataclass(frozen=True)
class ScoreRow:
    attempt: Attempt
    theory: Decimal | None
    practical: Decimal | None
    theory_absent: bool
    practical_absent: bool


def scores_import_run(*, actor, session: ExamSession, upload, progress=None) -> dict:
    """Read and record a score sheet for a session now, all or nothing: each row names a trainee
    of the session by ID number and name, with the theory and practical scores (or 缺考); every
    bad row is reported with its row number and nothing is written."""
    session = get_visible_or_404(
        ExamSession.objects.select_related("training_class"),
        actor,
        perm=ENTER_SCORES,
        pk=session.pk,
    )
    _organiser(actor, session.training_class, ENTER_SCORES)
    if not session.is_open:
        raise ImportRejected.file(_("The results of this session are already confirmed."))
    columns = score_columns()
    labels = {column.key: column.name for column in columns}
    rows = read_rows(upload, columns)
    attempts = {
        attempt.enrolment.person.id_number_hash: attempt
        for attempt in session.attempts.select_related("enrolment__person")
    }
    seen: set[int] = set()

    def cell(values: dict[str, str], key: str, attempt: Attempt) -> tuple[Decimal | None, bool]:
        text = (values.get(key) or "").strip()
        if text in ABSENT_WORDS:
            return None, True
        if key == "theory" and attempt.theory_exempt and text in ("", "免考", "免试"):
            return None, False
        try:
            score = parse_score(text, session.full_marks, key)
        except ValidationError as exc:
            raise RowProblem(labels[key], " ".join(exc.messages)) from None
        if score is None:
            raise RowProblem(labels[key], _("Give the score, or 缺考 for an absent trainee."))
        return score, False

    def validate(number: int, values: dict[str, str]) -> ScoreRow:
        try:
            resident = parse_resident_id(values.get("id_number", ""))
        except IdentityError as exc:
            raise RowProblem(labels["id_number"], str(exc)) from None
        attempt = attempts.get(id_number_hash(resident.number))
        if attempt is None:
            raise RowProblem(labels["id_number"], _("This person is not examined in this session."))
        if attempt.pk in seen:
            raise RowProblem(labels["id_number"], _("This trainee is listed twice."))
        seen.add(attempt.pk)
        if " ".join((values.get("name") or "").split()) != attempt.enrolment.person.name:
            raise RowProblem(
                labels["name"], _("The name differs from the one registered for this ID number.")
            )
        theory, theory_absent = cell(values, "theory", attempt)
        practical, practical_absent = cell(values, "practical", attempt)
        return ScoreRow(attempt, theory, practical, theory_absent, practical_absent)

    def apply(checked: list[tuple[int, ScoreRow]]) -> int:
        for _number, row in checked:
            attempt_record(
                actor=actor,
                attempt=row.attempt,
                theory_score=row.theory,
                practical_score=row.practical,
                theory_absent=row.theory_absent,
                practical_absent=row.practical_absent,
            )
        return len(checked)

    recorded = run_import(rows=rows, validate=validate, apply=apply, progress=progress)
    return {"rows": len(rows), "recorded": recorded}


def scores_import(*, actor, session: ExamSession, upload):
    """Import a score sheet as a background job (core/jobs.py); returns the Job, whose page shows
    the progress and then the result or every bad row."""
    from upskill.core.jobs import import_job_start

    from .tasks import scores_import_task

    session = get_visible_or_404(ExamSession, actor, perm=ENTER_SCORES, pk=session.pk)
    _organiser(actor, session.training_class, ENTER_SCORES)
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="assessment.scores_import",
        title=lambda filename: (
            _("Exam scores: %(file)s → %(cls)s, session %(n)d")
            % {"file": filename[:100], "cls": session.training_class.name, "n": session.number}
        ),
        task=scores_import_task,
        default_name="scores",
        session_id=session.pk,
    )


# -- certificates (HB61-CRT-1) ------------------------------------------------------------------


def _new_code() -> str:
    return secrets.token_urlsafe(12)


def verification_path(serial: str, code: str) -> str:
    return reverse("assessment:verify_certificate", args=[serial]) + f"?code={code}"


def _issuing_bureau(county_code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(kind=OrganisationKind.COUNTY_HR, region__code=county_code)
        .order_by("pk")
        .first()
    )


def _next_serial(county_code: str, year: int) -> str:
    """Serials of issued training certificates: county code, year, six digits. Printed and
    sequential; the verification code, not the serial, protects the public page."""
    prefix = f"{county_code}{year}"
    last = (
        Certificate.objects.filter(source=CertificateSource.ISSUED, serial__startswith=prefix)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:06d}"


def _announce(certificate: Certificate, actor) -> None:
    """GA23-EMP-1 and whatever else reacts to a valid certificate: the ``certificate.issued``
    hook (employment registers on it)."""
    hooks.call(hooks.CERTIFICATE_ISSUED, certificate=certificate, actor=actor)


def certificate_issue(*, actor, attempt: Attempt, on: date | None = None) -> Certificate:
    """Issue the training certificate (湖北省就业创业培训合格证) on a passed attempt (GA23-CRT-1),
    with the fields the certificate carries, a serial and an unguessable verification code.
    Called when a session's results are confirmed; once per passed attempt."""
    if attempt.result != AttemptResult.PASSED:
        raise ValidationError(_("A certificate is issued only on a passed assessment."))
    existing = Certificate.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
    training_class = attempt.session.training_class
    person = attempt.enrolment.person
    occupation = training_class.catalog_entry.occupation
    county_code = training_class.county_code
    bureau = _issuing_bureau(county_code)
    issue_date = on or timezone.localdate()
    for _try in range(5):
        code = _new_code()
        serial = _next_serial(county_code, issue_date.year)
        certificate = Certificate(
            kind=CertificateKind.TRAINING,
            source=CertificateSource.ISSUED,
            serial=serial,
            verification_code=code,
            person=person,
            holder_name=person.name,
            id_number_masked=person.id_number_masked,
            project=str(training_class.catalog_entry.get_program_display()),
            occupation_name=occupation.name,
            level=occupation.level,
            training_start=training_class.start_date,
            training_end=training_class.end_date,
            institution_name=training_class.organisation.name,
            issuing_body=bureau.name if bureau else training_class.organisation.name,
            issue_date=issue_date,
            attempt=attempt,
            training_class=training_class,
            holder_organisation=training_class.organisation,
            county=Region.objects.get(code=county_code),
            verification=Verification.VERIFIED,
            verification_path=verification_path(serial, code),
            recorded_by=user_of(actor),
        )
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:  # another session took the serial meanwhile
            continue
        _announce(certificate, actor)
        return certificate
    raise ValidationError(_("No certificate number could be given; try again."))


@transaction.atomic
def certificate_record(
    *,
    actor,
    person: Person,
    kind: str,
    serial: str,
    occupation_name: str,
    issuing_body: str,
    issue_date: date,
    level: int | None = None,
    project: str = "",
    institution_name: str = "",
    training_start: date | None = None,
    training_end: date | None = None,
) -> Certificate:
    """Record a certificate issued elsewhere by an accredited body (HB61-CRT-1), e.g. for a
    skill-upgrade subsidy (WH20-SUB-1/2): it waits for the bureau's verification before it
    counts."""
    require_perm(actor, ADD_CERTIFICATE)
    person = get_visible_or_404(Person, actor, pk=person.pk)
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("Choose the kind of certificate.")})
    serial = "".join(str(serial).split())
    if not serial:
        raise ValidationError({"serial": _("Give the certificate number.")})
    if Certificate.objects.filter(serial=serial).exists():
        raise ValidationError({"serial": _("A certificate with this number is recorded already.")})
    if not str(issuing_body).strip():
        raise ValidationError({"issuing_body": _("Name the body that issued the certificate.")})
    if issue_date > timezone.localdate():
        raise ValidationError({"issue_date": _("The issue date is in the future.")})
    organisation = getattr(actor, "organisation", None)
    code = _new_code()
    certificate = Certificate(
        kind=kind,
        source=CertificateSource.RECORDED,
        serial=serial,
        verification_code=code,
        person=person,
        holder_name=person.name,
        id_number_masked=person.id_number_masked,
        project=project,
        occupation_name=" ".join(str(occupation_name).split()),
        level=level,
        training_start=training_start,
        training_end=training_end,
        institution_name=institution_name,
        issuing_body=str(issuing_body).strip(),
        issue_date=issue_date,
        holder_organisation=organisation
        if organisation is not None and organisation.jurisdiction_prefix is None
        else None,
        county=person.county,
        verification=Verification.PENDING,
        verification_path=verification_path(serial, code),
        recorded_by=user_of(actor),
    )
    certificate.full_clean(exclude=["verification_code"])
    certificate.save()
    return certificate


@transaction.atomic
def certificate_verify(
    *, actor, certificate: Certificate, verified: bool, note: str = ""
) -> Certificate:
    """The bureau confirms (or refuses) a recorded certificate after checking it with the
    issuing body (HB61-CRT-1, HB61-DOC-1). A confirmed one counts from then on."""
    certificate = get_visible_or_404(
        Certificate.objects.select_for_update(), actor, perm=VERIFY_CERTIFICATE, pk=certificate.pk
    )
    organisation = getattr(actor, "organisation", None)
    if not actor.is_superuser and (organisation is None or not organisation.jurisdiction_prefix):
        raise PermissionDenied(VERIFY_CERTIFICATE)
    if certificate.source != CertificateSource.RECORDED:
        raise ValidationError(_("A certificate the product issued needs no verification."))
    note = (note or "").strip()
    if not verified and not note:
        raise ValidationError({"verification_note": _("Say why it could not be verified.")})
    was_valid = certificate.is_valid
    certificate.verification = Verification.VERIFIED if verified else Verification.REJECTED
    certificate.verification_note = note[:255]
    certificate.verified_by = user_of(actor)
    certificate.verified_at = timezone.now()
    certificate.save()
    if verified and not was_valid:
        _announce(certificate, actor)
    return certificate


def certificate_for_public(serial: str, code: str) -> Certificate | None:
    """The certificate with this serial whose verification code matches, or None (an unknown
    serial and a wrong code look the same to the public)."""
    serial = "".join(str(serial or "").split())[:64]
    code = str(code or "").strip()[:32]
    # a NUL byte can be in no serial, and PostgreSQL refuses it in a query (it answered 500)
    if not serial or not code or "\x00" in serial + code:
        return None
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None or not hmac.compare_digest(certificate.verification_code, code):
        return None
    return certificate
