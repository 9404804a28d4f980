"""``upskill bench province``: a synthetic Hubei for the scale benchmarks (issues 18.5, 19).

About 1,000,000 persons and 1,800,000 finished training records in 60,000 classes over 2019–2021
(HB45's three years), with attendance, exam results, claims priced by the policy engine's batch
path and paid through payment batches. Regions and organisations the database lacks are made up
(17 cities, six counties each, twelve townships a county, named “合成” so nobody takes them for
real ones); the demo's own Gong'an and Wuhan organisations and catalogues are used as they are.

Everything goes in through bulk paths (``bulk_create`` in large batches, persons through the
registry's own bulk registration with their encrypted ID numbers and audit rows), in one
transaction per stage, and the run is recorded as a finished job ``bench.province``: a second run
with the same figures finds it and does nothing. Meant for PostgreSQL (``DATABASE_URL``); on
SQLite it refuses more than 20,000 persons.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as clock
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from upskill import policy
from upskill.assessment.models import Attempt, AttemptResult, ExamSession
from upskill.catalog.models import Catalog, CatalogEntry, CatalogKind, Occupation
from upskill.catalog.services import catalog_create, catalog_publish, entry_add
from upskill.core.models import Job, JobStatus
from upskill.core.scoping import SYSTEM
from upskill.demo import people
from upskill.demo.seed import catalogs, organisations
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.policy.batch import ITEM_KINDS, evaluate_frame, frame_from_records, row_lists
from upskill.policy.records import read_record
from upskill.policy_admin.models import ParameterVersion
from upskill.policy_admin.services import parameter_version_add, parameters_in_effect
from upskill.registry.identity import parse_resident_id
from upskill.registry.models import Hukou, Person
from upskill.registry.services import NewPerson, id_number_hash, persons_register_bulk
from upskill.reports.models import ProgressSummary
from upskill.reports.services import summary_rebuild
from upskill.subsidies.models import (
    BatchStatus,
    Claim,
    ClaimItem,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    Decision,
    Fund,
    FundSource,
    LineStatus,
    PaymentBatch,
    PaymentItem,
    PaymentStatus,
)
from upskill.training.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    TrainingClass,
)

from .common import bench_command

JOB_KIND = "bench.province"
BATCH = 5000
YEARS = (2019, 2020, 2021)
CITIES = [
    ("420100", "武汉市"),
    ("420200", "黄石市"),
    ("420300", "十堰市"),
    ("420500", "宜昌市"),
    ("420600", "襄阳市"),
    ("420700", "鄂州市"),
    ("420800", "荆门市"),
    ("420900", "孝感市"),
    ("421000", "荆州市"),
    ("421100", "黄冈市"),
    ("421200", "咸宁市"),
    ("421300", "随州市"),
    ("422800", "恩施土家族苗族自治州"),
]
COUNTIES_PER_CITY = 6
TOWNSHIPS_PER_COUNTY = 12
INSTITUTIONS_PER_COUNTY = 5
# programme → share of classes; HB45's three years are employment, poverty and post-skill work
PROGRAMS = [("employment", 0.45), ("poverty", 0.35), ("post_skill", 0.20)]
LESSONS = [(LessonKind.THEORY, Decimal(8))] * 2 + [(LessonKind.PRACTICE, Decimal(8))] * 3


@dataclass
class County:
    region: Region
    bureau: Organisation
    townships: list[Region] = field(default_factory=list)
    institutions: list[Organisation] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)


def _stage(name: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {name}: {now - started:.1f} s", flush=True)
    return now


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def _organisation(kind: str, name: str, region: Region, parent=None) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        kind=kind, name=name, region=region, defaults={"parent": parent}
    )
    return organisation


def _map(world: dict[str, Organisation], counties_per_city: int, townships: int) -> list[County]:
    """Cities, counties, townships and their organisations (made up where the database has
    none: the demo holds Gong'an and Wuhan only)."""
    if not 1 <= counties_per_city <= 9:
        raise ValueError("between 1 and 9 synthetic counties a city (codes …91 to …99)")
    province = Region.objects.get(code="420000")
    counties = []
    for city_code, city_name in CITIES:
        city = _region(city_code, city_name, "city", province)
        city_bureau = _organisation(
            OrganisationKind.CITY_HR, f"{city_name}人力资源和社会保障局", city, world["province"]
        )
        for k in range(1, counties_per_city + 1):
            code = f"{city_code[:4]}{90 + k:02d}"  # 91–99: no county of Hubei has such a code
            region = _region(code, f"{city_name}合成{k}县", "county", city)
            bureau = _organisation(
                OrganisationKind.COUNTY_HR, f"{region.name}人社局", region, city_bureau
            )
            county = County(region=region, bureau=bureau)
            for t in range(1, townships + 1):
                township = _region(
                    f"{code}{100 + t:03d}", f"{region.name}第{t}镇", "township", region
                )
                county.townships.append(township)
                _organisation(
                    OrganisationKind.TOWNSHIP_CENTRE,
                    f"{township.name}人社服务中心",
                    township,
                    bureau,
                )
            for i in range(1, INSTITUTIONS_PER_COUNTY + 1):
                county.institutions.append(
                    _organisation(
                        OrganisationKind.INSTITUTION, f"{region.name}第{i}职业培训学校", region
                    )
                )
            counties.append(county)
    return counties


def _catalogue_entries(world) -> dict[int, list[CatalogEntry]]:
    """A published provincial project catalogue per year (HB45-CAT-1), over the occupations of
    the demo's Hubei occupation catalogue."""
    catalogs(world)
    hubei = Region.objects.get(code="420000")
    occupations = list(
        Occupation.objects.filter(catalog__kind=CatalogKind.OCCUPATIONS, catalog__region=hubei)
        .filter(level__in=[3, 4, 5])
        .order_by("pk")[:24]
    )
    entries = {}
    for year in YEARS:
        catalog = Catalog.objects.filter(
            kind=CatalogKind.PROJECTS, region=hubei, year=year, published_at__isnull=False
        ).first()
        if catalog is None:
            catalog = catalog_create(
                actor=SYSTEM,
                kind=CatalogKind.PROJECTS,
                region=hubei,
                year=year,
                title=f"湖北省{year}年补贴性职业技能培训项目目录（合成）",
            )
            for program, _share in PROGRAMS:
                for occupation in occupations:
                    entry_add(
                        actor=SYSTEM,
                        catalog=catalog,
                        program=program,
                        occupation=occupation,
                        standard_hours=Decimal(40),
                    )
            catalog_publish(actor=SYSTEM, catalog=catalog)
        entries[year] = list(
            CatalogEntry.objects.filter(catalog=catalog).select_related("occupation")
        )
    return entries


def _persons(counties: list[County], n: int, rng: random.Random) -> None:
    """N residents spread over the counties, registered through the registry's bulk path."""
    seen: set[str] = set()
    per_county = n // len(counties)
    for county in counties:
        batch = []
        while len(batch) < per_county:
            number = people.id_number(rng, county.region.code, people.birth_date(rng, 18, 58))
            if number in seen:
                continue
            seen.add(number)
            batch.append(
                NewPerson(
                    resident=parse_resident_id(number),
                    digest=id_number_hash(number),
                    name=people.name(rng),
                    hukou=Hukou.AGRICULTURAL if rng.random() < 0.7 else Hukou.NON_AGRICULTURAL,
                    county=county.region,
                    township=rng.choice(county.townships),
                    phone=people.phone(rng),
                )
            )
        for start in range(0, len(batch), BATCH):
            part = batch[start : start + BATCH]
            # an earlier build with another seed may have drawn the same numbers
            taken = set(
                Person.objects.filter(id_number_hash__in=[new.digest for new in part]).values_list(
                    "id_number_hash", flat=True
                )
            )
            with transaction.atomic():
                created = persons_register_bulk(
                    actor=SYSTEM, persons=[new for new in part if new.digest not in taken]
                )
            county.persons.extend(person.pk for person in created)


@dataclass
class Planned:
    training_class: TrainingClass
    county: County
    year: int
    persons: list[int]


def _classes(counties, entries, n_classes: int, n_records: int, rng, years=YEARS) -> list[Planned]:
    base, extra = divmod(n_records, n_classes)
    weights = [share for _program, share in PROGRAMS]
    planned = []
    objs = []
    for index in range(n_classes):
        county = counties[index % len(counties)]
        # every county has classes in every year (index % 3 alone gave each county one year,
        # as 78 counties is a multiple of three)
        year = years[(index // len(counties)) % len(years)]
        program = rng.choices([p for p, _ in PROGRAMS], weights)[0]
        entry = rng.choice([e for e in entries[year] if e.program == program] or entries[year])
        start = date(year, 1, 1) + timedelta(days=rng.randrange(0, 340))
        size = min(len(county.persons), base + (index < extra))
        training_class = TrainingClass(
            organisation=rng.choice(county.institutions),
            name=f"{year}年{entry.occupation.name}培训班（合成{index + 1}）",
            catalog_entry=entry,
            township=rng.choice(county.townships),
            venue="合成数据",
            start_date=start,
            end_date=start + timedelta(days=len(LESSONS) - 1),
            planned_places=size,
            assessment_method="理论知识笔试与实际操作考核",
            status=ClassStatus.FINISHED,
        )
        objs.append(training_class)
        planned.append(Planned(training_class, county, year, rng.sample(county.persons, size)))
    with transaction.atomic():
        _bulk(TrainingClass, objs)
    return planned


def _rows(model, columns: list[str], rows) -> None:
    """Insert plain tuples of ``columns`` (the largest tables, whose keys nobody reads back):
    COPY on PostgreSQL, ``bulk_create`` elsewhere; ``updated_at``-style columns are now."""
    now = timezone.now()
    stamped = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    if connection.vendor != "postgresql":
        _bulk(
            model,
            [
                model(**dict(zip(columns, row, strict=True)), **{a: now for a in stamped})
                for row in rows
            ],
        )
        return
    db = connections[DEFAULT_DB_ALIAS]
    names = ", ".join(db.ops.quote_name(c) for c in [*columns, *stamped])
    sql = f"COPY {model._meta.db_table} ({names}) FROM STDIN"
    with db.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((*row, *(now for _ in stamped)))


def _bulk(model, objs: list) -> list:
    """Insert unsaved instances and give them their primary keys: PostgreSQL's COPY on
    PostgreSQL (about 50 times the rows a second of multi-row INSERTs at this size), batched
    ``bulk_create`` elsewhere. No signals and no history rows, as with ``bulk_create``."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        created = []
        for start in range(0, len(objs), BATCH):
            created += model.objects.bulk_create(objs[start : start + BATCH])
        return created
    meta = model._meta
    fields = list(meta.concrete_fields)
    pk = meta.pk
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-context proxy
    with db.cursor() as cursor:
        # a block of the table's identity values, reserved for these rows
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + len(objs) - 1])
        for offset, obj in enumerate(objs):
            setattr(obj, pk.attname, first + offset)
        columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS
    return objs


def _training(planned: list[Planned], rng) -> dict[int, Enrolment]:
    """Lessons, enrolments, attendance and exam results of every class; enrolment pk →
    enrolment with its class and person ids (for the claims)."""
    enrolments: dict[int, Enrolment] = {}
    for start in range(0, len(planned), 500):
        chunk = planned[start : start + 500]
        with transaction.atomic():
            lessons = _bulk(
                Lesson,
                [
                    Lesson(
                        training_class_id=p.training_class.pk,
                        date=p.training_class.start_date + timedelta(days=day),
                        start_time=clock(8, 30),
                        end_time=clock(17, 30),
                        hours=hours,
                        kind=kind,
                        content=f"第{day + 1}天",
                    )
                    for p in chunk
                    for day, (kind, hours) in enumerate(LESSONS)
                ],
            )
            made = _bulk(
                Enrolment,
                [
                    Enrolment(
                        training_class_id=p.training_class.pk,
                        person_id=person,
                        status=EnrolmentStatus.ENROLLED,
                    )
                    for p in chunk
                    for person in p.persons
                ],
            )
            by_class = defaultdict(list)
            for lesson in lessons:
                by_class[lesson.training_class_id].append(lesson)
            _rows(
                Attendance,
                ["lesson_id", "enrolment_id", "status", "method", "device_id", "reason"],
                (
                    (
                        lesson.pk,
                        enrolment.pk,
                        AttendanceStatus.PRESENT
                        if rng.random() < 0.96
                        else AttendanceStatus.ABSENT,
                        AttendanceMethod.QR.value,
                        "",
                        "",
                    )
                    for enrolment in made
                    for lesson in by_class[enrolment.training_class_id]
                ),
            )
            sessions = _bulk(
                ExamSession,
                [
                    ExamSession(
                        training_class=p.training_class,
                        date=p.training_class.end_date,
                        place="合成数据",
                        examiners="合成考评员",
                        full_marks=100,
                        theory_pass_mark=60,
                        practical_pass_mark=60,
                    )
                    for p in chunk
                ],
            )
            session_of = {s.training_class_id: s for s in sessions}
            _bulk(
                Attempt,
                [
                    Attempt(
                        session_id=session_of[e.training_class_id].pk,
                        enrolment_id=e.pk,
                        attempt_number=1,
                        theory_score=score,
                        practical_score=score,
                        result=AttemptResult.PASSED if score >= 60 else AttemptResult.FAILED,
                    )
                    for e in made
                    for score in [rng.randint(48, 98)]
                ],
            )
        enrolments.update({e.pk: e for e in made})
    return enrolments


def _as_json(raw: dict) -> dict:
    """A record as the claim line stores it (amounts and hours as text, as JSON keeps them)."""
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in raw.items()}


SYNTHETIC_NOTE = "合成数据：金额由政策引擎批量路径计算，未生成说明文字"


def _explanation(record_id: str, status: str, items, reasons) -> dict:
    """A line's explanation in the structure the product stores (the contract's result), the
    sentences left out: the batch path gives rules and amounts, not the figures of sentences."""
    return {
        "id": record_id,
        "status": status,
        "items": [
            {
                "rule": rule,
                "kind": ITEM_KINDS.get(rule, ("", ""))[0],
                "payee": ITEM_KINDS.get(rule, ("", ""))[1],
                "amount": f"{Decimal(cents).scaleb(-2):.2f}",
                "message": SYNTHETIC_NOTE,
            }
            for rule, cents in items
        ],
        "total": f"{Decimal(sum(cents for _rule, cents in items)).scaleb(-2):.2f}",
        "reasons": [{"rule": key.split("|")[1], "message": SYNTHETIC_NOTE} for key in reasons],
    }


def _training_standard(entries: dict[int, list[CatalogEntry]]) -> None:
    """The training subsidy standard per occupation and level (GA23-TRN-1's parameter) set for
    the province over 2019–2021, as an administrator sets it; synthetic figures, so marked."""
    if ParameterVersion.objects.filter(
        parameter="training_subsidy.standard", region_code="420000"
    ).exists():
        return
    rates = {5: 800, 4: 1200, 3: 1600}
    value: dict[str, dict[str, int]] = {}
    for entry in entries[YEARS[0]]:
        occupation = entry.occupation
        value.setdefault(occupation.name, {})[str(occupation.level)] = rates.get(
            occupation.level, 1000
        )
    parameter_version_add(
        actor=SYSTEM,
        parameter="training_subsidy.standard",
        region_code="420000",
        valid_from=date(YEARS[0], 1, 1),
        valid_until=date(YEARS[-1], 12, 31),
        value=value,
        document="合成数据（基准用）",
        rule="GA23-TRN-1",
        note="upskill bench province：合成标准，非真实文件",
    )


def _claims(planned: list[Planned], enrolments: dict[int, Enrolment], params) -> dict:
    """One claim a class, priced by the engine's batch path over one record a trainee, approved
    and paid through one payment batch per county, year and payee kind."""
    of_class = {p.training_class.pk: p for p in planned}
    passed = set(
        Attempt.objects.filter(result=AttemptResult.PASSED).values_list("enrolment_id", flat=True)
    )
    # the classes' primary keys are one block (``_bulk``): a range, not a list of a million
    class_pks = [p.training_class.pk for p in planned]
    numbers = dict(
        Enrolment.objects.filter(
            training_class__gte=min(class_pks), training_class__lte=max(class_pks)
        )
        .values_list("pk", "person__id_number")
        .iterator(chunk_size=20_000)
    )
    by_class = defaultdict(list)
    for enrolment in enrolments.values():
        by_class[enrolment.training_class_id].append(enrolment)
    raws, keys = [], []
    for pk, enrolment in enrolments.items():
        p = of_class[enrolment.training_class_id]
        occupation = p.training_class.catalog_entry.occupation
        raws.append(
            {
                "id": f"{p.training_class.pk}-{pk}",
                "person_id": numbers[pk],
                "region": p.county.region.code,
                "date": p.training_class.end_date.isoformat(),
                "program": p.training_class.catalog_entry.program,
                "categories": [],
                "passed": pk in passed,
                "occupation": occupation.name,
                "level": occupation.level,
                "total_hours": Decimal(40),
                "practical_hours": Decimal(24),
                "attended_hours": Decimal(40),
            }
        )
        keys.append(pk)
    records = [r for r in (read_record(raw, i)[0] for i, raw in enumerate(raws)) if r]
    frame, apart = frame_from_records(records)
    outcome = {}
    for row in evaluate_frame(frame, params).iter_rows(named=True):
        outcome[row["idx"]] = row_lists(row)
    for record, result in zip(
        apart, policy.run([raws[r.index] for r in apart], params), strict=True
    ):
        outcome[record.index] = (result.status, [(i.rule, i.cents) for i in result.items], [])
    funds = {}
    for county in {p.county.region.pk: p.county for p in planned}.values():
        for year in YEARS:
            funds[(county.region.pk, year)], _ = Fund.objects.get_or_create(
                source=FundSource.UNEMPLOYMENT_INSURANCE,
                region=county.region,
                year=year,
                defaults={"budget": Decimal("50000000.00")},
            )
    totals = {"lines": 0, "items": 0, "paid": Decimal(0)}
    index_of = {pk: i for i, pk in enumerate(keys)}
    for start in range(0, len(planned), 500):
        chunk = planned[start : start + 500]
        with transaction.atomic():
            claims = _bulk(
                Claim,
                [
                    Claim(
                        kind=ClaimKind.INSTITUTION,
                        claimant=p.training_class.organisation,
                        county=p.county.region,
                        training_class=p.training_class,
                        period_year=p.year,
                        status=ClaimStatus.PAYABLE,
                        fund=funds[(p.county.region.pk, p.year)],
                    )
                    for p in chunk
                ],
            )
            claim_of = {c.training_class_id: c for c in claims}
            wanted = [e for class_pk in claim_of for e in by_class[class_pk]]
            lines, line_items = [], []
            for e in wanted:
                status, items, reasons = outcome[index_of[e.pk]]
                p = of_class[e.training_class_id]
                occupation = p.training_class.catalog_entry.occupation
                total = Decimal(sum(cents for _rule, cents in items)).scaleb(-2)
                lines.append(
                    ClaimLine(
                        claim=claim_of[e.training_class_id],
                        person_id=e.person_id,
                        enrolment_id=e.pk,
                        record=_as_json(raws[index_of[e.pk]]),
                        date=p.training_class.end_date,
                        occupation=occupation.name,
                        level=occupation.level,
                        status=status,
                        total=total,
                        explanation=_explanation(
                            raws[index_of[e.pk]]["id"], status, items, reasons
                        ),
                        decision=Decision.APPROVED
                        if status == LineStatus.ACCEPTED
                        else Decision.REFUSED,
                    )
                )
                line_items.append(items if status == LineStatus.ACCEPTED else [])
            lines = _bulk(ClaimLine, lines)
            items = _bulk(
                ClaimItem,
                [
                    ClaimItem(
                        line=line,
                        rule=rule,
                        kind=ITEM_KINDS.get(rule, ("", ""))[0],
                        payee=ITEM_KINDS.get(rule, ("", ""))[1],
                        payee_organisation=line.claim.claimant
                        if ITEM_KINDS.get(rule, ("", ""))[1] == "organiser"
                        else None,
                        amount=Decimal(cents).scaleb(-2),
                        message=rule,
                    )
                    for line, found in zip(lines, line_items, strict=True)
                    for rule, cents in found
                ],
            )
            by_batch = defaultdict(list)
            for item in items:
                claim = item.line.claim
                by_batch[(claim.county_id, claim.period_year, item.payee)].append(item)
            for (county_pk, year, payee), batch_items in by_batch.items():
                batch = PaymentBatch.objects.create(
                    reference=f"SYN-{county_pk}-{year}-{payee}-{chunk[0].training_class.pk}",
                    county_id=county_pk,
                    fund=funds[(county_pk, year)],
                    payee=payee,
                    status=BatchStatus.CLOSED,
                )
                _bulk(
                    PaymentItem,
                    [
                        PaymentItem(
                            batch=batch, item=item, amount=item.amount, status=PaymentStatus.PAID
                        )
                        for item in batch_items
                    ],
                )
                totals["paid"] += sum(item.amount for item in batch_items)
            totals["lines"] += len(lines)
            totals["items"] += len(items)
    return totals


def _built(figures: dict) -> Job | None:
    return Job.objects.filter(kind=JOB_KIND, status=JobStatus.DONE, result__figures=figures).first()


def build(
    *,
    persons: int,
    classes: int,
    records: int,
    seed: int = 2019,
    counties_per_city: int = COUNTIES_PER_CITY,
    townships: int = TOWNSHIPS_PER_COUNTY,
) -> dict:
    """Build the synthetic province (or find it built with the same figures)."""
    figures = {
        "persons": persons,
        "classes": classes,
        "records": records,
        "seed": seed,
        "counties_per_city": counties_per_city,
        "townships": townships,
    }
    if connection.vendor != "postgresql" and persons > 20_000:
        raise SystemExit("upskill bench province: a province-sized build needs PostgreSQL")
    if (done := _built(figures)) is not None:
        print(f"already built (job {done.pk}): {done.result['summary']}")
        if not ProgressSummary.objects.exists():  # built before the summary was
            started = time.perf_counter()
            rows = summary_rebuild()
            _stage(f"progress summary filled ({rows:,} rows)", started)
        return done.result
    rng = random.Random(seed)
    started = step = time.perf_counter()
    print(
        f"building a synthetic Hubei: {persons:,} persons, {records:,} records "
        f"in {classes:,} classes over {YEARS[0]}–{YEARS[-1]}",
        flush=True,
    )
    world = organisations()
    counties = _map(world, counties_per_city, townships)
    entries = _catalogue_entries(world)
    _training_standard(entries)
    step = _stage(f"regions and organisations ({len(counties)} counties), catalogues", step)
    _persons(counties, persons, rng)
    step = _stage("persons (registry bulk path, encrypted, audited)", step)
    planned = _classes(counties, entries, classes, records, rng)
    step = _stage("classes", step)
    enrolments = _training(planned, rng)
    step = _stage("lessons, enrolments, attendance, exam results", step)
    totals = _claims(planned, enrolments, parameters_in_effect())
    step = _stage("claims priced by the batch path, payments", step)
    # the dashboards read the progress summary the services keep; the bulk paths above bypass
    # them, so it is counted once here (what `upskill reports rebuild-summary` does)
    rows = summary_rebuild()
    step = _stage(f"progress summary ({rows:,} rows)", step)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
    else:
        size = "(SQLite)"
    elapsed = time.perf_counter() - started
    summary = (
        f"{persons:,} persons, {len(enrolments):,} records in {len(planned):,} classes, "
        f"{totals['lines']:,} claim lines, {totals['items']:,} paid items "
        f"({totals['paid']:,.2f} yuan); database {size}; built in {elapsed / 60:.1f} min"
    )
    print(summary)
    result = {"figures": figures, "summary": summary, "seconds": round(elapsed, 1), "size": size}
    Job.objects.create(
        kind=JOB_KIND,
        title="synthetic province",
        status=JobStatus.DONE,
        done=1,
        total=1,
        result=result,
    )
    return result


def register(bench_parser: argparse.ArgumentParser) -> None:
    """``upskill bench province [--persons N] [--classes N] [--records N] [--seed S]``."""
    command = bench_command(
        bench_parser, "province", "build a synthetic Hubei (1M persons, 1.8M records) on PostgreSQL"
    )
    command.add_argument("--persons", type=int, default=1_000_000)
    command.add_argument("--classes", type=int, default=60_000)
    command.add_argument("--records", type=int, default=1_800_000)
    command.add_argument("--seed", type=int, default=2019)

    def run(args: argparse.Namespace) -> int:
        build(persons=args.persons, classes=args.classes, records=args.records, seed=args.seed)
        return 0

    command.set_defaults(func=run)
