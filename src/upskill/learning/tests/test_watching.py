"""The arithmetic of watched time (WH20-PRG-1): played segments merged into unique seconds,
seeking ahead counting nothing, wall-clock time capping what a heartbeat adds."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upskill.learning import watching

DURATION = 600
seconds = st.integers(min_value=0, max_value=DURATION)
intervals = st.lists(st.tuples(seconds, seconds).map(lambda t: (min(t), max(t))), max_size=20)
segments = st.lists(
    st.tuples(
        st.floats(min_value=-5, max_value=DURATION + 5), st.floats(min_value=0, max_value=30)
    ).map(lambda t: (t[0], t[0] + t[1])),
    max_size=12,
)


def _covered(pieces) -> set[int]:
    return {second for start, end in pieces for second in range(start, end)}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intervals)
def test_merge_is_the_union_sorted_disjoint_and_not_touching(pieces):
    merged = watching.merge(pieces)
    assert _covered(merged) == _covered(pieces)
    assert watching.total(merged) == len(_covered(pieces))
    for (_s1, e1), (s2, _e2) in itertools.pairwise(merged):
        assert e1 < s2
    assert watching.merge(merged) == merged


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intervals, st.tuples(seconds, seconds).map(lambda t: (min(t), max(t))))
def test_subtract_leaves_exactly_the_uncovered_seconds(pieces, segment):
    merged = watching.merge(pieces)
    parts = watching.subtract(segment, merged)
    assert _covered(parts) == set(range(*segment)) - _covered(merged)


@st.composite
def states(draw):
    """What a learner watched so far, as credit() keeps it: contiguous from the start."""
    furthest = draw(st.integers(min_value=0, max_value=DURATION))
    return [(0, furthest)] if furthest else [], furthest


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states(), segments, st.integers(min_value=0, max_value=DURATION))
def test_a_heartbeat_adds_at_most_its_allowance_and_only_new_seconds(state, played, allowance):
    watched, furthest = state
    result = watching.credit(watched, furthest, played, duration=DURATION, allowance=allowance)
    assert 0 <= result.added <= allowance
    assert watching.total(result.watched) == watching.total(watched) + result.added
    assert _covered(watched) <= _covered(result.watched)
    assert result.furthest >= furthest
    assert all(end <= result.furthest for _start, end in result.watched)
    assert all(0 <= start < end <= DURATION for start, end in result.watched)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states(), segments)
def test_sending_the_same_segments_again_adds_nothing(state, played):
    watched, furthest = state
    first = watching.credit(watched, furthest, played, duration=DURATION, allowance=DURATION)
    again = watching.credit(
        first.watched, first.furthest, played, duration=DURATION, allowance=DURATION
    )
    assert again.added == 0 and again.watched == first.watched


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states(), st.integers(min_value=watching.TOLERANCE + 1, max_value=300))
def test_seeking_past_the_furthest_point_counts_nothing(state, jump):
    watched, furthest = state
    start = furthest + jump
    result = watching.credit(
        watched, furthest, [(start, start + 15)], duration=DURATION + 400, allowance=DURATION
    )
    assert result.added == 0 and result.ahead == 15
    assert result.watched == watching.merge(watched) and result.furthest == furthest


def test_playing_on_from_the_furthest_point_counts_and_replays_do_not():
    result = watching.credit([], 0, [(0.0, 15.4)], duration=DURATION, allowance=18)
    assert (result.added, result.watched, result.furthest) == (15, [(0, 15)], 15)
    result = watching.credit(
        result.watched, result.furthest, [(5.0, 30.2)], duration=DURATION, allowance=18
    )
    assert (result.added, result.watched, result.furthest) == (15, [(0, 30)], 30)


def test_more_than_wall_clock_allows_is_refused():
    """Played at 2× for 15 s: 30 s reported, 15 s of wall-clock time and 3 of slack count."""
    allowance = watching.allowance(15, rate_cap=1.0, slack=3)
    result = watching.credit([], 0, [(0, 30)], duration=DURATION, allowance=allowance)
    assert (result.added, result.over_rate, result.furthest) == (18, 12, 18)


def test_a_segment_is_whole_seconds_inside_the_lesson():
    assert watching.clip((0.4, 3.9), 100) == (0, 4)
    assert watching.clip((95.0, 120.0), 100) == (95, 100)
    assert watching.clip((2.2, 2.4), 100) is None
    assert watching.clip((float("nan"), 3.0), 100) is None


def test_a_lesson_completes_at_95_percent_of_its_required_time():
    assert not watching.required_seconds_done(56, 60, 0.95)
    assert watching.required_seconds_done(57, 60, 0.95)
