"""The one list component every list page uses: search, filters, sorting, pagination that never
counts a large scope, and the export of the filtered list to Excel as a background job.

An app describes each list page once, in its ``lists.py``, as a :class:`ListDef`: the scoped
selector it reads (the same as the page's and the API's), the search it understands, its
filters, its columns (which of them sort, and on which indexed field), and whether the list
holds personal data (its exports are then written in the access log). The view calls
:func:`list_context` and renders ``includes/list_*.html``; the export button starts
:func:`list_export_start`, whose job (``core.tasks.list_export_task``) reads the same list with
the same parameters, so the file holds exactly the rows the clerk filtered.

**Scale.** A county holds hundreds of thousands of persons, a province a million. A page never
counts the whole scope: the count stops at ``UPSKILL_LIST_EXACT_COUNT`` (10,000) rows; above
it the page says "about N", N being PostgreSQL's estimate for the filtered query (its planner's
row estimate, from EXPLAIN; SQLite, with no estimate, counts). Pages go no further than the
rows below that threshold (``?page=`` is capped): a clerk who needs row 30,000 filters, or
exports. Sorting is offered only on indexed columns (each ``Column.sort`` names an index in its
model's migrations), always with the primary key last, so a page is a range of an index.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exports import xlsx_bytes
from .jobs import JobContext, job_start
from .models import AccessAction, Job
from .scoping import Actor, require_perm
from .services import access_log_record
from .stored_text import stored_text

PER_PAGE = 25
# Filter and sort parameters; anything else in the query string is ignored by the list.
SEARCH, SORT, PAGE = "q", "sort", "page"


def exact_count_limit() -> int:
    return int(getattr(settings, "UPSKILL_LIST_EXACT_COUNT", 10_000))


@dataclass(frozen=True)
class Column:
    """One column: its header, the value written to the export (``value(obj)``), the indexed
    field it sorts on (``sort``, e.g. ``"name"``; None: not sortable), and whether the page
    shows it (an export may carry more columns than the page)."""

    key: str
    label: Any
    value: Callable[[Any], Any]
    sort: str | None = None
    shown: bool = True


@dataclass(frozen=True)
class Filter:
    """A filter of the list: a ``<select>`` named ``name`` whose ``choices(actor)`` are (value,
    label) pairs; ``apply(queryset, value)`` narrows the list to one chosen value (a value not
    among the choices is ignored)."""

    name: str
    label: Any
    choices: Callable[[Actor], Sequence[tuple[str, Any]]]
    apply: Callable[[QuerySet, str], QuerySet]
    default: str = ""  # the value when the query string does not name the filter at all


@dataclass(frozen=True)
class ListDef:
    """A list page. ``rows(actor, query)`` is the app's scoped selector with its search;
    ``perm`` is the permission the page needs; ``personal``: the rows hold personal data (an
    export is logged); ``related``: ``select_related`` fields the rows need."""

    name: str
    title: Any
    url_name: str
    perm: str
    rows: Callable[..., QuerySet]
    columns: Sequence[Column]
    filters: Sequence[Filter] = ()
    default_sort: str = ""
    searchable: bool = True
    search_placeholder: Any = ""  # the template says "Search" when empty
    personal: bool = False
    per_page: int = PER_PAGE
    export: bool = True

    @cached_property
    def sortable(self) -> dict[str, str]:
        return {column.key: column.sort for column in self.columns if column.sort}

    def state(self, params: QueryDict | dict, actor: Actor) -> ListState:
        """The list's parameters read from a query string, every value checked: an unknown
        sort or filter value is dropped (the page shows the list without it)."""
        get = params.get
        filters = {}
        for flt in self.filters:
            value = str(get(flt.name) or "") if flt.name in params else flt.default
            if value and value in {str(code) for code, _label in flt.choices(actor)}:
                filters[flt.name] = value
        cleared = tuple(flt.name for flt in self.filters if flt.default and flt.name not in filters)
        sort = str(get(SORT) or self.default_sort)
        if sort.lstrip("-") not in self.sortable:
            sort = self.default_sort
        return ListState(
            query=str(get(SEARCH) or "").strip()[:100], filters=filters, sort=sort, cleared=cleared
        )

    def queryset(self, actor: Actor, state: ListState) -> QuerySet:
        require_perm(actor, self.perm)
        qs = (
            self.rows(actor=actor, query=state.query) if self.searchable else self.rows(actor=actor)
        )
        for flt in self.filters:
            if flt.name in state.filters:
                qs = flt.apply(qs, state.filters[flt.name])
        if state.sort:
            key = state.sort.lstrip("-")
            descending = state.sort.startswith("-")
            prefix = "-" if descending else ""
            qs = qs.order_by(f"{prefix}{self.sortable[key]}", f"{prefix}pk")
        return qs


@dataclass(frozen=True)
class ListState:
    query: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = ""
    cleared: tuple[str, ...] = ()  # filters with a default, set to "all" by the reader

    def params(self) -> dict[str, str]:
        """The state as query parameters (what the export job gets)."""
        params = dict(self.filters)
        for name in self.cleared:
            params.setdefault(name, "")
        if self.query:
            params[SEARCH] = self.query
        if self.sort:
            params[SORT] = self.sort
        return params


_LISTS: dict[str, ListDef] = {}


def register(*lists: ListDef) -> None:
    """Called from an app's ``lists.py`` (imported by core's ``ready()``)."""
    for item in lists:
        _LISTS[item.name] = item


def get(name: str) -> ListDef:
    return _LISTS[name]


def registered() -> list[ListDef]:
    return list(_LISTS.values())


# -- counting ------------------------------------------------------------------------------


def estimated_count(queryset: QuerySet) -> int:
    """PostgreSQL's planner estimate of the rows of ``queryset`` (EXPLAIN, nothing read);
    other databases count."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count()
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(queryset: QuerySet) -> tuple[int, bool]:
    """(count, exact): the exact count up to the threshold, read from at most threshold + 1
    rows of an index; above it the estimate (never below the threshold + 1)."""
    limit = exact_count_limit()
    counted = queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        return counted, True
    return max(estimated_count(queryset), limit + 1), False


class CappedPaginator(Paginator):
    """Django's paginator with :func:`capped_count` and no page past the threshold's rows."""

    def __init__(self, object_list, per_page):
        super().__init__(object_list, per_page)
        self.exact = True

    @cached_property
    def count(self) -> int:
        count, self.exact = capped_count(self.object_list)
        return count

    @cached_property
    def num_pages(self) -> int:
        reachable = min(self.count, exact_count_limit())
        return max(1, -(-reachable // self.per_page))

    @property
    def capped(self) -> bool:
        return not self.exact


# -- the page ------------------------------------------------------------------------------


@dataclass
class HeadCell:
    label: Any
    sort_param: str = ""  # the ?sort= a click on the header sets; "" when not sortable
    direction: str = ""  # "asc"/"desc" when the list is sorted by this column


def list_context(request, listdef: ListDef) -> dict[str, Any]:
    """What ``includes/list_controls.html``, ``list_head.html`` and ``list_pagination.html``
    need: ``page`` (rows of this page), ``list`` (state, filters with their choices, header
    cells, the count and whether it is exact)."""
    actor = request.user
    state = listdef.state(request.GET, actor)
    queryset = listdef.queryset(actor, state)
    paginator = CappedPaginator(queryset, listdef.per_page)
    page = paginator.get_page(request.GET.get(PAGE))
    current = state.sort.lstrip("-")
    head = []
    for column in listdef.columns:
        if not column.shown:
            continue
        cell = HeadCell(column.label)
        if column.sort:
            if column.key == current:
                cell.direction = "desc" if state.sort.startswith("-") else "asc"
                cell.sort_param = column.key if cell.direction == "desc" else f"-{column.key}"
            else:
                cell.sort_param = column.key
        head.append(cell)
    filters = [
        {
            "name": flt.name,
            "label": flt.label,
            "choices": list(flt.choices(actor)),
            "value": state.filters.get(flt.name, ""),
        }
        for flt in listdef.filters
    ]
    return {
        "page": page,
        "q": state.query,
        "list": {
            "def": listdef,
            "state": state,
            "head": head,
            "filters": filters,
            "count": paginator.count,
            "exact": paginator.exact,
            "url": reverse(listdef.url_name),
            "export_url": reverse("core:list_export", args=[listdef.name]),
            "can_export": listdef.export,
        },
    }


# -- the export ----------------------------------------------------------------------------


def list_export_start(*, actor: Actor, name: str, params: QueryDict | dict) -> Job:
    """Start the export of list ``name`` filtered as ``params`` says, as a background job whose
    page shows its progress and then the file to download."""
    from .tasks import list_export_task  # tasks imports this module for the job's body

    listdef = get(name)
    state = listdef.state(params, actor)
    listdef.queryset(actor, state)  # the permission, checked before anything is queued
    return job_start(
        actor=actor,
        kind="list_export",
        title=_("Export: %(list)s") % {"list": listdef.title},
        task=list_export_task,
        name=name,
        params=state.params(),
    )


def _export_rows(job: JobContext, listdef: ListDef, queryset: QuerySet, total: int) -> Iterable:
    columns = list(listdef.columns)
    for done, obj in enumerate(queryset.iterator(chunk_size=2000), start=1):
        yield [column.value(obj) for column in columns]
        job.progress(done, total, _("Writing rows…"))


def list_export_run(job: JobContext, *, name: str, params: dict[str, str]) -> dict:
    """The export job's body: the list read again as the job's actor, written row by row to an
    .xlsx in the storage (text as text, never a formula: ``core.exports``), logged when the list
    holds personal data. The result links to the download."""
    listdef = get(name)
    actor = job.actor
    queryset = listdef.queryset(actor, listdef.state(params, actor))
    total = queryset.count()
    job.progress(0, total, _("Writing rows…"))
    header = [column.label for column in listdef.columns]
    data = xlsx_bytes(listdef.title, header, _export_rows(job, listdef, queryset, total))
    stored = default_storage.save(f"exports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    if listdef.personal:
        access_log_record(
            actor=actor,
            action=AccessAction.EXPORT,
            description=stored_text(
                gettext_lazy("List export: %(list)s (masked)"), list=listdef.title
            ),
            row_count=total,
        )
    slug = name.replace(".", "-")
    return {
        "summary": _("%(count)s rows written.") % {"count": total},
        "file": stored,
        "filename": f"{slug}-{timezone.localdate():%Y%m%d}.xlsx",
        "url": reverse("core:job_download", args=[job.job.pk]),
        "link_text": _("Download the Excel file"),
    }


# -- core's own list -------------------------------------------------------------------------


def _access_log_rows(*, actor: Actor, query: str = "") -> QuerySet:
    from .models import AccessLog
    from .scoping import visible

    qs = visible(AccessLog, actor).select_related("user", "organisation")
    if query:
        qs = qs.filter(description__contains=query)
    return qs


register(
    ListDef(
        name="core.access_log",
        title=gettext_lazy("Access log"),
        url_name="core:access_log",
        perm="core.view_accesslog",
        rows=_access_log_rows,
        default_sort="-at",
        search_placeholder=gettext_lazy("What was revealed or exported"),
        filters=[
            Filter(
                "action",
                gettext_lazy("Action"),
                lambda actor: AccessAction.choices,
                lambda qs, value: qs.filter(action=value),
            )
        ],
        columns=[
            Column(
                "at",
                gettext_lazy("When"),
                lambda e: timezone.localtime(e.at).replace(tzinfo=None),
                sort="at",
            ),
            Column("user", gettext_lazy("Who"), lambda e: str(e.user or e.token_name)),
            Column(
                "organisation", gettext_lazy("Organisation"), lambda e: str(e.organisation or "")
            ),
            Column("action", gettext_lazy("Action"), lambda e: e.get_action_display()),
            Column("description", gettext_lazy("What"), lambda e: e.what),
            Column("rows", gettext_lazy("Rows"), lambda e: e.row_count),
        ],
    )
)
