"""Helpers shared by the training pages: form errors, QR codes, the trainee's device cookie."""

from __future__ import annotations

import uuid

import segno

DEVICE_COOKIE = "upskill_device"


def _qr_svg(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


def _device_id(request) -> str:
    return request.COOKIES.get(DEVICE_COOKIE) or uuid.uuid4().hex


def _with_device(response, device: str):
    response.set_cookie(
        DEVICE_COOKIE, device, max_age=3600 * 24 * 365, httponly=True, samesite="Lax"
    )
    return response
