"""Certificates (HB61-CRT-1): the training certificate issued on a passed attempt, certificates
issued elsewhere recorded and verified by the bureau. An issued or verified certificate is
announced on the ``certificate.issued`` hook (``core/hooks.py``), which employment answers
(GA23-EMP-1): this package never imports it.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import hooks
from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.registry.models import Person

from ..models import (
    Attempt,
    AttemptResult,
    Certificate,
    CertificateKind,
    CertificateSource,
    Verification,
)
from ..programmes import class_certificate
from ..selectors import is_bureau
from ._common import ADD_CERTIFICATE, VERIFY_CERTIFICATE


def _new_code() -> str:
    return secrets.token_urlsafe(12)


def _verification_path(serial: str, code: str) -> str:
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


def certificate_issue(*, actor: Actor, attempt: Attempt, on: date | None = None) -> Certificate:
    """Issue the training certificate (湖北省就业创业培训合格证) on a passed attempt (GA23-CRT-1),
    with the fields the certificate carries, a serial and an unguessable verification code.
    Called when a session's results are confirmed; once per passed attempt."""
    passed = attempt.result == AttemptResult.PASSED
    if class_certificate(attempt.session.training_class, passed) is None:  # GA23-CRT-1, HB61-CRT-1
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
            verification_path=_verification_path(serial, code),
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
    actor: Actor,
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
        verification_path=_verification_path(serial, code),
        recorded_by=user_of(actor),
    )
    certificate.full_clean(exclude=["verification_code"])
    certificate.save()
    return certificate


@transaction.atomic
def certificate_verify(
    *, actor: Actor, certificate: Certificate, verified: bool, note: str = ""
) -> Certificate:
    """The bureau confirms (or refuses) a recorded certificate after checking it with the
    issuing body (HB61-CRT-1, HB61-DOC-1). A confirmed one counts from then on."""
    certificate = get_visible_or_404(
        Certificate.objects.select_for_update(), actor, perm=VERIFY_CERTIFICATE, pk=certificate.pk
    )
    if not is_bureau(actor):
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
