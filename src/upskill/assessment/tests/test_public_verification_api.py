"""The public certificate check over JSON with a NUL byte in the serial or the code (found by
schemathesis): PostgreSQL refuses NUL in a query and it answered 500. The request is now
refused with 400 before it reaches a view (core.middleware.RejectNulMiddleware), and the
service itself answers "not found" to a NUL, should another door pass one on."""

from __future__ import annotations

import pytest

from upskill.assessment.services import certificate_for_public

PARAMS = [{"serial": "4210\x0022023", "code": "x"}, {"serial": "42102", "code": "a\x00"}]


@pytest.mark.parametrize("params", PARAMS)
def test_a_nul_byte_is_refused_before_the_database(client, db, params):
    response = client.get("/api/certificates/verify", params)
    assert response.status_code == 400


@pytest.mark.parametrize("params", PARAMS)
def test_the_service_answers_not_found_to_a_nul_byte(db, params):
    assert certificate_for_public(params["serial"], params["code"]) is None
