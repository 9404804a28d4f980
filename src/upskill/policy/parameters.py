"""Dated, regional parameters with their legal reference (after OpenFisca's parameter files).

Each parameter has a kind, a rule id and a list of versions; a version holds a value for a
region (6-digit GB/T 2260 code) over a period ``from``–``until`` (both inclusive, either
open) and cites its document and clause. A county inherits its city's, province's and the
root's (``000000``) values unless it sets its own for the date.

The shipped YAML files under ``parameters/`` are the defaults; versions that administrators
add in the web UI are handed in as data (:meth:`ParameterSet.with_versions`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .rules import CLAUSES, RULES, document_of

PARAMETER_DIR = Path(__file__).parent / "parameters"
ROOT_REGION = "000000"
KINDS = {
    "amount",
    "count",
    "share",
    "amount_table",
    "standard_table",
    "requirement_table",
    "source_table",
    "code_list",
}
_REGION = re.compile(r"^\d{6}$")


class ParameterError(ValueError):
    """A parameter file or an added version is not acceptable; says where and why."""


@dataclass(frozen=True)
class Reference:
    document: str
    clause: str = ""
    rule: str = ""

    def text(self) -> str:
        return " ".join(part for part in (self.document, self.clause) if part)


@dataclass(frozen=True)
class Version:
    parameter: str
    region: str
    start: date | None
    end: date | None
    value: Any
    reference: Reference
    source: str = ""  # "file.yaml:12" or "database #7": a label for messages
    added: bool = False  # added by an administrator (ParameterSet.with_versions), not shipped

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def overlaps(self, other: Version) -> bool:
        return (self.start is None or other.end is None or self.start <= other.end) and (
            other.start is None or self.end is None or other.start <= self.end
        )


@dataclass(frozen=True)
class Definition:
    name: str
    rule: str
    kind: str
    description_zh: str
    description_en: str
    keys: tuple[str, ...] = ()

    def description(self, lang: str = "zh") -> str:
        return self.description_en if lang == "en" else self.description_zh


def region_chain(region: str) -> tuple[str, ...]:
    """421022 → 421022, 421000, 420000, 000000 (county, city, province, root)."""
    chain = [region]
    for parent in (region[:4] + "00", region[:2] + "0000", ROOT_REGION):
        if parent != chain[-1]:
            chain.append(parent)
    return tuple(chain)


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ParameterError(f"{where}: {value!r} is not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ParameterError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise ParameterError(f"{where}: {value!r} must be a number of at least 0")
    return number


def coerce_value(definition: Definition, value: Any, where: str) -> Any:
    """Check a value against its parameter's kind and return it in the engine's types."""
    kind = definition.kind
    if kind == "amount":
        return _decimal(value, where)
    if kind == "share":
        number = _decimal(value, where)
        if number > 1:
            raise ParameterError(f"{where}: a share is between 0 and 1, not {value}")
        return number
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float | str | Decimal):
                number = _decimal(value, where)
                if number == number.to_integral_value():
                    return int(number)
            raise ParameterError(f"{where}: {value!r} is not a whole number")
        if value < 0:
            raise ParameterError(f"{where}: {value} must be at least 0")
        return value
    if kind == "amount_table":
        if not isinstance(value, Mapping):
            raise ParameterError(f"{where}: expected a table {{key: amount}}")
        unknown = set(value) - set(definition.keys)
        if unknown:
            raise ParameterError(
                f"{where}: unknown keys {sorted(unknown)}; allowed: {list(definition.keys)}"
            )
        return {str(k): _decimal(v, f"{where} [{k}]") for k, v in value.items()}
    if kind == "standard_table":
        # {"occupation": {"level": amount}}
        if not isinstance(value, Mapping) or not value:
            raise ParameterError(f"{where}: expected {{occupation: {{level: amount}}}}")
        table: dict[str, dict[int, Decimal]] = {}
        for occupation, levels in value.items():
            if not isinstance(levels, Mapping) or not levels:
                raise ParameterError(f"{where} [{occupation}]: expected {{level: amount}}")
            row = {}
            for level, amount in levels.items():
                try:
                    number = int(level)
                except (TypeError, ValueError):
                    number = 0
                if not 1 <= number <= 5:
                    raise ParameterError(f"{where} [{occupation}]: level {level!r} is not 1–5")
                row[number] = _decimal(amount, f"{where} [{occupation}][{level}]")
            table[str(occupation).strip()] = row
        return table
    if kind == "requirement_table":
        # {"program or *": {"key": whole number}}: what a rule requires of a class, by program
        # ("*" for every program not named); the supervision checklist (GA23-INS-1, …).
        if not isinstance(value, Mapping) or not value:
            raise ParameterError(f"{where}: expected {{program: {{key: count}}}}")
        requirements: dict[str, dict[str, int]] = {}
        for program, counts in value.items():
            if not isinstance(counts, Mapping) or not counts:
                raise ParameterError(f"{where} [{program}]: expected {{key: count}}")
            unknown = set(counts) - set(definition.keys)
            if unknown:
                raise ParameterError(
                    f"{where} [{program}]: unknown keys {sorted(unknown)}; "
                    f"allowed: {list(definition.keys)}"
                )
            row = {}
            for key, count in counts.items():
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    raise ParameterError(
                        f"{where} [{program}][{key}]: {count!r} is not a whole number ≥ 0"
                    )
                row[str(key)] = count
            requirements[str(program).strip()] = row
        return requirements
    if kind == "source_table":
        # {"item kind": ["fund source", …]}: the only fund sources that may pay an item of that
        # kind (HB45-FND-1); a kind not named is paid from any fund the bureau allows.
        if not isinstance(value, Mapping) or not value:
            raise ParameterError(f"{where}: expected {{item kind: [fund source, …]}}")
        unknown = set(value) - set(definition.keys)
        if unknown:
            raise ParameterError(
                f"{where}: unknown keys {sorted(unknown)}; allowed: {list(definition.keys)}"
            )
        sources: dict[str, tuple[str, ...]] = {}
        for item_kind, names in value.items():
            if isinstance(names, str) or not isinstance(names, list | tuple) or not names:
                raise ParameterError(f"{where} [{item_kind}]: expected a list of fund sources")
            sources[str(item_kind)] = tuple(str(n).strip() for n in names)
        return sources
    if kind == "code_list":
        # [code, …]: the categories, programs or organisation kinds an eligibility rule names
        # (policy/eligibility.py); ``keys``, where given, lists the codes allowed.
        if not isinstance(value, list | tuple) or not value:
            raise ParameterError(f"{where}: expected a list of codes")
        codes = [str(code).strip() for code in value]
        if any(not code for code in codes) or len(set(codes)) != len(codes):
            raise ParameterError(f"{where}: the codes must be non-empty and different")
        unknown = set(codes) - set(definition.keys) if definition.keys else set()
        if unknown:
            raise ParameterError(
                f"{where}: unknown codes {sorted(unknown)}; allowed: {list(definition.keys)}"
            )
        return tuple(codes)
    raise ParameterError(f"{where}: unknown kind {kind!r}")  # pragma: no cover - load checks


def _to_date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping so an error names the file and line."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class ParameterSet:
    """The parameters in force: definitions and every version, looked up by name, region and
    date. Immutable once built; :meth:`with_versions` returns a new set."""

    definitions: dict[str, Definition]
    versions: dict[str, tuple[Version, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lookup = functools.lru_cache(maxsize=65536)(self._find)
        self.view = functools.lru_cache(maxsize=16384)(self._view)

    def _view(self, region: str, on: date) -> dict[str, Version]:
        """Every parameter in force for a region on a date, by name (absent where none is):
        what a record's formulas read, computed once per region and date."""
        found = {name: self._find(name, region, on) for name in self.definitions}
        return {name: version for name, version in found.items() if version is not None}

    # -- reading --------------------------------------------------------------------------
    def _find(self, name: str, region: str, on: date) -> Version | None:
        versions = self.versions.get(name, ())
        for code in region_chain(region):
            for version in versions:
                if version.region == code and version.covers(on):
                    return version
        return None

    def lookup(self, name: str, region: str, on: date) -> Version | None:
        """The version of ``name`` in force for ``region`` on ``on``, or None."""
        if name not in self.definitions:
            raise KeyError(name)
        return self._lookup(name, region, on)

    def value(self, name: str, region: str, on: date) -> Any:
        version = self.lookup(name, region, on)
        return None if version is None else version.value

    # -- extending ------------------------------------------------------------------------
    def with_versions(self, versions: Iterable[Mapping[str, Any]]) -> ParameterSet:
        """A new set with administrator-added versions. For the dates it covers, an added version
        takes precedence over a shipped one of the same parameter and region (it is the newer
        law), so a shipped default can be amended from a date on without a deploy."""
        added: dict[str, list[Version]] = {}
        for raw in versions:
            version = replace(
                self._version_from(raw, where=raw.get("source") or "added version"), added=True
            )
            added.setdefault(version.parameter, []).append(version)
        merged = dict(self.versions)
        for name, new in added.items():
            # Lookup takes the first version that covers the date: added ones come first.
            merged[name] = tuple(new) + self.versions.get(name, ())
        return ParameterSet(self.definitions, merged)

    def _version_from(self, raw: Mapping[str, Any], where: str) -> Version:
        name = raw.get("parameter")
        definition = self.definitions.get(name)
        if definition is None:
            raise ParameterError(f"{where}: unknown parameter {name!r}")
        return _make_version(definition, raw, where)


def _make_version(definition: Definition, raw: Mapping[str, Any], where: str) -> Version:
    region = str(raw.get("region", ""))
    if not _REGION.match(region):
        raise ParameterError(f"{where}: region {region!r} is not a 6-digit code")
    start = _to_date(raw.get("from"), where)
    end = _to_date(raw.get("until"), where)
    if start and end and end < start:
        raise ParameterError(f"{where}: 'until' {end} is before 'from' {start}")
    ref = _strip_lines(raw.get("reference") or {})
    if not isinstance(ref, Mapping) or not ref.get("document"):
        raise ParameterError(f"{where}: a version needs reference.document (its legal source)")
    rule = str(ref.get("rule") or definition.rule)
    if rule not in RULES:
        raise ParameterError(f"{where}: unknown rule id {rule!r}")
    return Version(
        parameter=definition.name,
        region=region,
        start=start,
        end=end,
        value=coerce_value(definition, _strip_lines(raw.get("value")), where),
        reference=Reference(str(ref["document"]), str(ref.get("clause") or ""), rule),
        source=where,
    )


def _strip_lines(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    return value


def _check_overlaps(name: str, versions: Iterable[Version]) -> None:
    seen: list[Version] = []
    for version in versions:
        for other in seen:
            if other.region == version.region and other.overlaps(version):
                raise ParameterError(
                    f"{version.source}: {name} for region {version.region} overlaps the period "
                    f"of {other.source} ({other.start or '…'} – {other.end or '…'})"
                )
        seen.append(version)


def table_reference(rule: str) -> dict[str, str]:
    """The reference of a shipped version that names none: its rule's document and clause in
    the one table (``rules.TABLE``). A version writes its own only to say more (a note) or to
    cite another document."""
    return {"document": document_of(rule).number, "clause": CLAUSES[rule]}


def load_file(path: Path) -> tuple[list[Definition], list[Version]]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path.name}: not valid YAML: {exc}") from None
    definitions, versions = [], []
    for name, spec in (data or {}).items():
        if name == "__line__":
            continue
        where = f"{path.name}:{spec.get('__line__', '?') if isinstance(spec, dict) else '?'}"
        if not isinstance(spec, dict):
            raise ParameterError(f"{where}: {name} must be a mapping")
        rule = spec.get("rule")
        if rule not in RULES:
            raise ParameterError(f"{where}: {name} has unknown rule id {rule!r}")
        kind = spec.get("kind")
        if kind not in KINDS:
            raise ParameterError(f"{where}: {name} has unknown kind {kind!r}")
        description = spec.get("description") or {}
        definition = Definition(
            name=name,
            rule=rule,
            kind=kind,
            description_zh=str(description.get("zh", name)),
            description_en=str(description.get("en", name)),
            keys=tuple(spec.get("keys") or ()),
        )
        definitions.append(definition)
        for raw in spec.get("values") or []:
            line = raw.get("__line__", "?") if isinstance(raw, dict) else "?"
            if isinstance(raw, dict) and "reference" not in raw:
                raw = {**raw, "reference": table_reference(rule)}
            versions.append(_make_version(definition, raw, f"{path.name}:{line}"))
    return definitions, versions


def load_directory(directory: Path = PARAMETER_DIR) -> ParameterSet:
    definitions: dict[str, Definition] = {}
    versions: dict[str, list[Version]] = {}
    for path in sorted(directory.glob("*.yaml")):
        file_definitions, file_versions = load_file(path)
        for definition in file_definitions:
            if definition.name in definitions:
                raise ParameterError(f"{path.name}: {definition.name} is defined twice")
            definitions[definition.name] = definition
        for version in file_versions:
            versions.setdefault(version.parameter, []).append(version)
    for name, items in versions.items():
        _check_overlaps(name, items)
    return ParameterSet(definitions, {name: tuple(items) for name, items in versions.items()})


@functools.cache
def default_parameters() -> ParameterSet:
    """The shipped parameter files."""
    return load_directory()


def validate_version(params: ParameterSet, raw: Mapping[str, Any]) -> Version:
    """Check a version an administrator wants to add: a known parameter and rule, a value of
    the parameter's kind, and no overlap with another *added* version of the same parameter and
    region (``params`` holds those from :meth:`ParameterSet.with_versions`). Shipped defaults
    may be amended: the added version takes precedence over them."""
    version = params._version_from(raw, where="new version")
    for other in params.versions.get(version.parameter, ()):
        if other.region == version.region and other.added and other.overlaps(version):
            raise ParameterError(
                f"{version.parameter} for region {version.region} already has a version "
                f"from {other.start or '…'} to {other.end or '…'} ({other.reference.text()}); "
                "periods may not overlap"
            )
    return version


def format_value(definition: Definition, value: Any) -> str:
    if value is None:
        return "—"
    if definition.kind in {"amount", "share"}:
        return f"{value.normalize():f}"
    if definition.kind == "amount_table":
        return ", ".join(f"{k}: {v.normalize():f}" for k, v in value.items())
    if definition.kind == "code_list":
        return ", ".join(value)
    if definition.kind == "requirement_table":
        return "; ".join(
            f"{program}: " + ", ".join(f"{key} {count}" for key, count in counts.items())
            for program, counts in value.items()
        )
    if definition.kind == "source_table":
        return "; ".join(f"{kind}: " + ", ".join(names) for kind, names in value.items())
    if definition.kind == "standard_table":
        return "; ".join(
            f"{occ} "
            + ", ".join(f"L{lvl} {amt.normalize():f}" for lvl, amt in sorted(levels.items()))
            for occ, levels in value.items()
        )
    return str(value)


def describe_parameters(params: ParameterSet | None = None, lang: str = "zh") -> list[dict]:
    params = params or default_parameters()
    return [
        {
            "name": d.name,
            "rule": d.rule,
            "kind": d.kind,
            "keys": list(d.keys),
            "description": d.description(lang),
        }
        for d in sorted(params.definitions.values(), key=lambda d: d.name)
    ]


def parameters_in_force(
    params: ParameterSet, region: str, on: date, lang: str = "zh"
) -> list[dict]:
    """Every parameter with the value in force for ``region`` on ``on`` and its reference;
    parameters with no value then are listed with value None, so a reader sees what is unset."""
    rows = []
    for definition in sorted(params.definitions.values(), key=lambda d: d.name):
        version = params.lookup(definition.name, region, on)
        reference = version.reference if version else Reference("", "", definition.rule)
        rows.append(
            {
                "name": definition.name,
                "rule": definition.rule,
                "description": definition.description(lang),
                "value": _plain(version.value) if version else None,
                "value_text": format_value(definition, version.value) if version else "—",
                "region": version.region if version else "",
                "valid_from": version.start if version else None,
                "valid_until": version.end if version else None,
                "reference": {
                    "document": reference.document,
                    "clause": reference.clause,
                    "rule": reference.rule,
                },
                "reference_text": " ".join(
                    p for p in (reference.document, reference.clause, reference.rule) if p
                ),
                "source": version.source if version else "",
            }
        )
    return rows


def _plain(value: Any) -> Any:
    """JSON-friendly: Decimal → int or str-exact float, tables recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value
