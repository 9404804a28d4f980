"""The figures measured on the synthetic province (issues 18.5, 19): the percentile."""

from __future__ import annotations

from upskill.benchmarks import scale


def test_p95_is_the_nearest_rank() -> None:
    assert scale.p95([float(n) for n in range(1, 101)]) == 95.0
    assert scale.p95([3.0, 1.0, 2.0]) == 3.0
    assert scale.p95([7.0]) == 7.0
