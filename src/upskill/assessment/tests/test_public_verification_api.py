"""The public certificate check over JSON with a NUL byte in the serial or the code (found by
schemathesis): PostgreSQL refuses NUL in a query and it answered 500; it is "not found" now."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "params", [{"serial": "4210\x0022023", "code": "x"}, {"serial": "42102", "code": "a\x00"}]
)
def test_a_nul_byte_is_not_found(client, db, params):
    response = client.get("/api/certificates/verify", params)
    assert response.status_code == 404
    assert response.json()["found"] is False
