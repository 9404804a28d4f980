"""Reads of policy parameters: the set in effect (the engine hand-over), and the rows shown
on the parameters page and the API."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from threading import Lock

from django.db import DatabaseError
from django.db.models import Count, Max

from upskill import policy
from upskill.core.scoping import Actor

from .models import ParameterVersion

_cache_lock = Lock()
_cache: dict = {"stamp": None, "params": None}


@dataclass(frozen=True)
class ParameterVersionPermissions:
    """What the actor may do with parameter versions: add one, withdraw one (in its
    jurisdiction, checked by the service)."""

    add: bool
    withdraw: bool


def parameter_version_permissions(*, actor: Actor) -> ParameterVersionPermissions:
    return ParameterVersionPermissions(
        add=actor.has_perm("policy_admin.add_parameterversion"),
        withdraw=actor.has_perm("policy_admin.change_parameterversion"),
    )


def _stamp() -> tuple:
    summary = ParameterVersion.objects.aggregate(
        n=Count("id"), last=Max("id"), withdrawn=Max("withdrawn_at")
    )
    return summary["n"], summary["last"], summary["withdrawn"]


def parameters_in_effect() -> policy.ParameterSet:
    """The shipped defaults plus every version in effect that administrators added. One small
    query per call tells whether the cached set is still current (other processes may add)."""
    stamp = _stamp()
    with _cache_lock:
        if _cache["stamp"] != stamp:
            versions = [
                {**v.as_engine_version(), "source": f"database #{v.pk}"}
                for v in ParameterVersion.objects.in_effect()
            ]
            _cache["params"] = policy.default_parameters().with_versions(versions)
            _cache["stamp"] = stamp
        return _cache["params"]


def parameters_for_cli() -> policy.ParameterSet:
    """For the command line: the parameters in force, or the shipped defaults (with a note on
    standard error) where the database is not set up yet."""
    try:
        return parameters_in_effect()
    except DatabaseError:
        print("upskill: database not migrated; using the shipped parameters only", file=sys.stderr)
        return policy.default_parameters()


def parameter_rows(region: str, on: date, lang: str = "zh") -> list[dict]:
    """Every parameter in force for a region on a date, with its reference (API and page)."""
    return policy.parameters_in_force(parameters_in_effect(), region, on, lang=lang)
