"""Watched time, not page opens (WH20-PRG-1): the pure arithmetic of the played segments a
player reports. No Django here; ``services.heartbeat_record`` applies it to a lesson's progress.

A lesson's timeline is whole seconds ``[0, duration)``. What a learner has watched is a list of
disjoint, sorted, non-touching half-open intervals ``(start, end)``; its length is the unique
seconds watched, however often a part is replayed. A reported segment counts only:

* from where the learner has already watched: a segment that starts beyond the furthest point
  watched (plus a small tolerance for the player's rounding) was reached by seeking ahead and
  counts nothing;
* within what wall-clock time allows: a heartbeat adds at most ``allowance`` new seconds (the
  wall-clock seconds since the playback began times the playback-rate cap, less the seconds
  already played since then, replays included), the rest is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Interval = tuple[int, int]

# Seconds a segment may start after the furthest point watched and still continue it (the
# player reports fractional times; a segment boundary falls between two whole seconds).
TOLERANCE = 2


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of ``intervals``: sorted, disjoint, touching ones joined; empty ones dropped."""
    result: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in intervals if e > s):
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(start, end) for start, end in result]


def total(intervals: Iterable[Interval]) -> int:
    """The seconds an already merged list of intervals covers."""
    return sum(end - start for start, end in intervals)


def subtract(segment: Interval, intervals: list[Interval]) -> list[Interval]:
    """The parts of ``segment`` not covered by the merged ``intervals``, in order."""
    start, end = segment
    parts = []
    for covered_start, covered_end in intervals:
        if covered_end <= start:
            continue
        if covered_start >= end:
            break
        if covered_start > start:
            parts.append((start, covered_start))
        start = max(start, covered_end)
        if start >= end:
            break
    if start < end:
        parts.append((start, end))
    return parts


def clip(segment: tuple[float, float], duration: int) -> Interval | None:
    """A reported segment as whole seconds inside ``[0, duration)``, both ends rounded to the
    nearest second (the player's time updates come every quarter second or so); None when
    nothing is left."""
    start, end = segment
    if not (math.isfinite(start) and math.isfinite(end)):
        return None
    first = max(0, math.floor(start + 0.5))
    last = min(duration, math.floor(end + 0.5))
    return (first, last) if last > first else None


@dataclass(frozen=True)
class Credit:
    watched: list[Interval]  # merged
    furthest: int  # the end of the furthest second watched
    added: int  # new unique seconds this heartbeat
    ahead: int  # seconds reported beyond the furthest point watched (seeking ahead): refused
    over_rate: int  # new seconds beyond what wall-clock time allows: refused
    replayed: int = 0  # seconds reported again over what was already watched: played, not new


def credit(
    watched: list[Interval],
    furthest: int,
    segments: Iterable[tuple[float, float]],
    *,
    duration: int,
    allowance: int,
    tolerance: int = TOLERANCE,
) -> Credit:
    """Apply one heartbeat's reported ``segments`` to what was ``watched`` up to ``furthest``.

    Segments are taken in the order of their start; each continues the furthest point watched
    or counts nothing; the new seconds they add are capped at ``allowance`` in total."""
    watched = merge(watched)
    added = ahead = over_rate = replayed = 0
    budget = max(0, allowance)
    clipped = sorted(filter(None, (clip(segment, duration) for segment in segments)))
    for start, end in clipped:
        if start > furthest + tolerance:
            ahead += end - start
            continue
        stopped = False
        parts = subtract((start, end), watched)
        replayed += (end - start) - total(parts)
        for part_start, part_end in parts:
            length = part_end - part_start
            if stopped:
                over_rate += length
                continue
            taken = min(length, budget)
            if taken:
                budget -= taken
                added += taken
                watched = merge([*watched, (part_start, part_start + taken)])
                furthest = max(furthest, part_start + taken)
            if taken < length:
                over_rate += length - taken
                stopped = True
        if not stopped:
            furthest = max(furthest, end)
    return Credit(
        watched=watched,
        furthest=furthest,
        added=added,
        ahead=ahead,
        over_rate=over_rate,
        replayed=replayed,
    )


def allowance(elapsed_seconds: float, *, rate_cap: float, slack: int) -> int:
    """The new seconds a heartbeat may add after ``elapsed_seconds`` of wall-clock time: that
    time at the playback-rate cap, and a few seconds of slack for the network's jitter."""
    return max(0, math.floor(max(0.0, elapsed_seconds) * rate_cap)) + slack


def required_seconds_done(watched_seconds: int, required_seconds: int, share: float) -> bool:
    """A lesson is complete at ``share`` (0.95) of its required time watched."""
    return watched_seconds >= math.ceil(required_seconds * share)
