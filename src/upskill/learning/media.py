"""The length of a lesson's video as ffprobe (Debian's ffmpeg) reads it from a path."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from upskill.core.media import ffprobe

PROBE_SECONDS = 30


def video_seconds(path: str | Path) -> int:
    """Whole seconds of a video; refuses a file that holds no video stream."""
    if shutil.which("ffprobe") is None:
        raise ValidationError(_("Videos cannot be checked on this server (ffmpeg is missing)."))
    not_video = ValidationError(
        {"file": _("This file is not a playable video (WebM, MP4, …), whatever its name says.")}
    )
    probed = ffprobe(path, timeout=PROBE_SECONDS)
    if probed is None:
        raise not_video
    fmt, streams = probed
    try:
        seconds = float(fmt.get("duration") or streams[0].get("duration") or 0)
    except ValueError:
        raise not_video from None
    if not math.isfinite(seconds) or seconds < 1:
        raise not_video
    return math.floor(seconds)
