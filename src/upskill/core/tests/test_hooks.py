"""core/hooks.py: named callbacks from later apps, called in registration order."""

from __future__ import annotations

import pytest

from upskill.core import hooks


@pytest.fixture
def name():
    yield "test.hook"
    hooks._callbacks.pop("test.hook", None)


def test_callbacks_run_in_order_once_each(name):
    calls = []

    def first(**kwargs):
        calls.append(("first", kwargs["value"]))
        return 1

    def second(**kwargs):
        calls.append(("second", kwargs["value"]))
        return 2

    hooks.register(name, first)
    hooks.register(name, second)
    hooks.register(name, first)  # a second ready() changes nothing
    assert hooks.call(name, value=7) == [1, 2]
    assert calls == [("first", 7), ("second", 7)]
    hooks.unregister(name, first)
    assert hooks.callbacks(name) == [second]


def test_problems_flatten_the_checks_and_an_unknown_hook_is_empty(name):
    hooks.register_check(name, lambda **kw: ["A"])
    hooks.register_check(name, lambda **kw: [])
    hooks.register_check(name, lambda **kw: ["B", "C"])
    assert hooks.problems(name, organisation=None) == ["A", "B", "C"]
    assert hooks.problems("nobody.registered") == []
    assert hooks.call("nobody.registered") == []


def test_the_apps_register_their_callbacks():
    from upskill.assessment.selectors import archive_sections as assessment_sections
    from upskill.employment.selectors import archive_sections as employment_sections
    from upskill.employment.services import referral_push_on_certificate

    assert referral_push_on_certificate in hooks.callbacks(hooks.CERTIFICATE_ISSUED)
    sections = hooks.callbacks(hooks.PERSON_ARCHIVE_SECTIONS)
    assert assessment_sections in sections and employment_sections in sections
    from upskill.exams.selectors import online_theory_result

    # HB61-ONL-1: a session scheduled after an online pass takes it as the theory part
    assert hooks.callbacks(hooks.ONLINE_THEORY_RESULT) == [online_theory_result]


def test_the_learner_portal_has_the_classes_certificates_and_subsidies_sections():
    """learner.portal_sections: training, assessment and subsidies each add their section of
    the learner's own records to /me/ (WH20 online path)."""
    from upskill.assessment.selectors import portal_sections as certificates
    from upskill.subsidies.selectors.portal import portal_sections as subsidies
    from upskill.training.selectors import portal_sections as classes

    registered = hooks.callbacks(hooks.LEARNER_PORTAL_SECTIONS)
    assert {classes, certificates, subsidies} <= set(registered)
