"""What ffprobe (Debian's ffmpeg) reads from a video file: shared by the evidence videos of
supervision and the lesson videos of learning."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

PROBE_SECONDS = 30


class MediaRefused(ValueError):
    """The file is not what it says, or not acceptable; the message says why."""


FFPROBE_OPTIONS = ("-v", "error", "-print_format", "json", "-show_format", "-show_streams")


def ffprobe(path: str | Path, *, timeout: int = PROBE_SECONDS) -> tuple[dict, list[dict]] | None:
    """The container's format and the file's video streams, or ``None`` when ffprobe finds no
    video in it (or is missing, or takes longer than ``timeout`` seconds)."""
    binary = shutil.which("ffprobe")
    if binary is None:
        return None
    try:
        completed = subprocess.run(  # noqa: S603 - fixed arguments, a path we created
            [binary, *FFPROBE_OPTIONS, str(path)],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        info = json.loads(completed.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError):
        return None
    streams = [s for s in info.get("streams", []) if s.get("codec_type") == "video"]
    if completed.returncode != 0 or not streams:
        return None
    return info.get("format") or {}, streams
