"""Which programme ends with which certificate (GA23-CRT-1, HB61-CRT-1, GA23-EMP-1): plain
Python over dated, regional parameters (``parameters/certificates.yaml``).

- GA23-CRT-1: the programmes whose passed assessment issues 湖北省就业创业培训合格证
  (employment/entrepreneurship and poverty-alleviated classes);
- HB61-CRT-1: the skill-level programmes, which end with a 职业技能等级证书 issued by the
  evaluation body (recorded and verified); a trainee who fails the skill evaluation gets the
  training certificate (鄂人社函〔2020〕61号 六(二)), and the skill-upgrade subsidy
  (WH20-SUB-1/2) rests on the skill-level certificate;
- GA23-EMP-1: only the certificate kinds it names push their holder to the HR service centre.
"""

from __future__ import annotations

from datetime import date

from .parameters import ParameterSet, default_parameters

TRAINING = "training"
SKILL_LEVEL = "skill_level"


def _codes(params: ParameterSet | None, name: str, region: str, on: date) -> tuple[str, ...]:
    value = (params or default_parameters()).value(name, region, on)
    return tuple(value or ())


def is_skill_level(program: str, region: str, on: date, params: ParameterSet | None = None) -> bool:
    """HB61-CRT-1: the programme ends with a skill-level certificate from the evaluation body."""
    return program in _codes(params, "certificates.skill_level_programs", region, on)


def issued_certificate(
    program: str, passed: bool, region: str, on: date, params: ParameterSet | None = None
) -> str | None:
    """The certificate the product issues when an assessment is confirmed: the training
    certificate on a pass in a GA23-CRT-1 programme, or on a fail in a skill-level programme
    (HB61-CRT-1); None otherwise (a skill-level pass is certified by the evaluation body)."""
    if passed and program in _codes(
        params, "certificates.training_certificate_programs", region, on
    ):
        return TRAINING
    if not passed and is_skill_level(program, region, on, params):
        return TRAINING
    return None


def pushes_to_service_centre(
    kind: str, region: str, on: date, params: ParameterSet | None = None
) -> bool:
    """GA23-EMP-1: whether a holder of this kind of certificate is pushed to the county HR
    service centre."""
    return kind in _codes(params, "certificates.pushed_kinds", region, on)
