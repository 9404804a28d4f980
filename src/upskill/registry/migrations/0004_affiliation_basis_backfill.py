"""Give every existing affiliation the basis it rests on. One that rests on nothing — made by
the former "add to my organisation" button from an ID number alone — keeps the basis "link"
(0003's default), which no longer puts the person in the organisation's scope."""

from django.db import migrations


def backfill(apps, schema_editor):
    Affiliation = apps.get_model("registry", "Affiliation")
    Enrolment = apps.get_model("training", "Enrolment")
    EmploymentContract = apps.get_model("enterprise", "EmploymentContract")
    enrolled = set(
        Enrolment.objects.values_list("person_id", "training_class__organisation_id").distinct()
    )
    contracted = set(EmploymentContract.objects.values_list("person_id", "enterprise_id"))
    rows = Affiliation.objects.values_list(
        "pk", "kind", "person_id", "organisation_id", "person__registered_by_id"
    )
    by_basis: dict[str, list[int]] = {}
    for pk, kind, person_id, organisation_id, registered_by_id in rows.iterator():
        key = (person_id, organisation_id)
        if kind == "referral":
            basis = "referral"
        elif kind == "employee" and key in contracted:
            basis = "contract"
        elif key in enrolled:
            basis = "enrolment"
        elif registered_by_id == organisation_id:
            basis = "registration"
        else:
            basis = "link"
        by_basis.setdefault(basis, []).append(pk)
    for basis, pks in by_basis.items():
        for start in range(0, len(pks), 2000):
            Affiliation.objects.filter(pk__in=pks[start : start + 2000]).update(basis=basis)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_affiliation_basis"),
        ("training", "0001_initial"),
        ("enterprise", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
