"""The policy engine: plain Python, no Django.

Dated parameters with their legal references (``parameters/*.yaml``), one small pure function
per rule (``formulas/``), a scalar engine and a vectorised batch engine that give identical
results, explanations in Chinese and English, and the calculator's JSON contract. The web
application stores administrator-added parameter versions and hands them in as data
(:meth:`ParameterSet.with_versions`).
"""

from .contract import PayloadError, evaluate, evaluate_json, run
from .engine import PriorTraining, Result
from .parameters import (
    ParameterError,
    ParameterSet,
    Reference,
    Version,
    default_parameters,
    describe_parameters,
    parameters_in_force,
    validate_version,
)
from .records import CATEGORIES, PROGRAMS
from .rules import RULES, rule_name

__all__ = [
    "CATEGORIES",
    "PROGRAMS",
    "RULES",
    "ParameterError",
    "ParameterSet",
    "PayloadError",
    "PriorTraining",
    "Reference",
    "Result",
    "Version",
    "default_parameters",
    "describe_parameters",
    "evaluate",
    "evaluate_json",
    "parameters_in_force",
    "rule_name",
    "run",
    "validate_version",
]
