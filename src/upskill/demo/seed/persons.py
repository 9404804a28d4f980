"""Stage 2: the persons of the real-name registry, with categories, affiliations and bank
accounts."""

from __future__ import annotations

import random
from datetime import date

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region
from upskill.registry.models import AffiliationBasis, AffiliationKind, Category, Hukou, Person
from upskill.registry.services import (
    affiliation_ensure,
    bank_account_set,
    person_category_add,
    person_register,
)

from .. import people


def persons(o: dict[str, Organisation], count: int = 320) -> int:
    """Gong'an residents (most with agricultural hukou, many on the poverty-alleviated roster)
    and Wuhan enterprise employees with unemployment-insurance months."""
    if Person.objects.exists():
        return 0
    rng = random.Random(2023)
    townships = list(Region.objects.filter(level="township", parent__code="421022"))
    categories = {c.code: c for c in Category.objects.all()}
    rural_bureau = o["rural"]
    roster_source = "县乡村振兴局脱贫人员名册（2023年3月）"
    made = 0
    for index in range(count):
        wuhan = index % 8 == 7
        born = people.birth_date(rng, 18, 60 if wuhan else 70)
        address = "420112" if wuhan else "421022"
        township = None if wuhan else rng.choice(townships)
        person = person_register(
            actor=SYSTEM,
            id_number=people.id_number(rng, address, born),
            name=people.name(rng),
            phone=people.phone(rng),
            county=Region.objects.get(code="420112") if wuhan else None,
            township=township,
            hukou=Hukou.NON_AGRICULTURAL if wuhan or rng.random() < 0.15 else Hukou.AGRICULTURAL,
            insured_months=rng.randint(6, 120) if wuhan else rng.choice([0, 0, 0, 3, 14]),
            insured_months_as_of=date(2023, 3, 31),
        )
        made += 1
        if wuhan:
            employer = o["wh_ent1"] if index % 16 == 7 else o["wh_ent2"]
            affiliation_ensure(
                person=person,
                organisation=employer,
                kind=AffiliationKind.EMPLOYEE,
                basis=AffiliationBasis.REGISTRATION,  # demo: as if it had registered them
                since=date(2019, 1, 1),
            )
            continue
        roll = rng.random()
        code = None
        if roll < 0.45:
            code = "poverty_alleviated"
        elif roll < 0.52:
            code = "monitored_household"
        elif roll < 0.56:
            code = "two_after_graduate"
        elif roll < 0.66:
            code = "employment_difficulty"
        elif roll < 0.72:
            code = "retired_fisher"
        if code:
            with_actor = code in {"poverty_alleviated", "monitored_household", "two_after_graduate"}
            person_category_add(
                actor=SYSTEM,
                person=person,
                category=categories[code],
                source=roster_source if with_actor else "县就业局认定",
                valid_from=date(2023, 1, 1),
            )
            if with_actor:
                person.categories.filter(category__code=code).update(
                    source_organisation=rural_bureau
                )
        if rng.random() < 0.7:
            bank_name, bin_prefix, branch = rng.choice(people.BANKS)
            bank_account_set(
                actor=SYSTEM,
                person=person,
                kind="card",
                account_name=person.name,
                account_number=people.card_number(rng, bin_prefix),
                bank_name=bank_name,
                branch_code=branch,
            )
        institution = (o["inst1"], o["inst2"], o["inst3"], None, None)[index % 5]
        if institution is not None:
            affiliation_ensure(
                person=person,
                organisation=institution,
                kind=AffiliationKind.TRAINEE,
                basis=AffiliationBasis.REGISTRATION,  # demo: as if it had registered them
                since=date(2023, 4, 1),
            )
        if index % 23 == 0:
            affiliation_ensure(
                person=person,
                organisation=o["ent1"],
                kind=AffiliationKind.EMPLOYEE,
                basis=AffiliationBasis.REGISTRATION,  # demo: as if it had registered them
                since=date(2021, 5, 1),
            )
    return made
