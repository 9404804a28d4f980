"""Which programme ends with which certificate (policy/certificates.py): GA23-CRT-1's training
certificate for employment/entrepreneurship and poverty-alleviated classes only, HB61-CRT-1's
skill-level programmes (the training certificate for a trainee who fails the skill evaluation),
and the certificate kinds GA23-EMP-1 pushes to the HR service centre."""

from __future__ import annotations

from datetime import date

import pytest

from upskill.policy import certificates
from upskill.policy.parameters import default_parameters

ON = date(2023, 5, 19)


@pytest.mark.parametrize(
    ("program", "passed", "issued"),
    [
        ("employment", True, "training"),  # GA23-CRT-1
        ("poverty", True, "training"),  # GA23-CRT-1
        ("employment", False, None),
        ("pre_job", True, None),  # enterprise classes: no GA23-CRT-1 certificate
        ("post_skill", True, None),
        ("online_skill_level", True, None),  # HB61-CRT-1: the evaluation body certifies
        ("online_skill_level", False, "training"),  # HB61-CRT-1 六(二): failed → training cert.
    ],
)
def test_ga23_crt_1_and_hb61_crt_1_the_certificate_a_programme_issues(program, passed, issued):
    assert certificates.issued_certificate(program, passed, "421022", ON) == issued


def test_hb61_crt_1_skill_level_programmes_are_a_parameter_a_county_may_amend():
    assert certificates.is_skill_level("online_skill_level", "420102", date(2020, 8, 1))
    assert not certificates.is_skill_level("post_skill", "421022", ON)
    params = default_parameters().with_versions(
        [
            {
                "parameter": "certificates.skill_level_programs",
                "region": "421022",
                "from": "2023-01-01",
                "value": ["online_skill_level", "post_skill"],
                "reference": {"document": "鄂人社函〔2020〕61号", "clause": "六(二)"},
            }
        ]
    )
    assert certificates.is_skill_level("post_skill", "421022", ON, params)
    assert certificates.issued_certificate("post_skill", False, "421022", ON, params) == "training"


@pytest.mark.parametrize(
    ("kind", "pushed"),
    [
        ("training", True),
        ("skill_level", True),
        ("special_ability", True),
        ("qualification", False),
        ("special_operation", False),
    ],
)
def test_ga23_emp_1_only_the_kinds_it_names_push_to_the_service_centre(kind, pushed):
    assert certificates.pushes_to_service_centre(kind, "421022", ON) is pushed
