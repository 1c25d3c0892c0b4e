"""The Python load generator's figures: percentiles never fall outside the measured latencies."""

import pytest

from web_loadgen import Tally, _figures


@pytest.mark.parametrize(
    "latencies",
    [[0.010], [0.010, 0.200], [0.001, 0.002, 0.003, 0.500], [n / 1000 for n in range(1, 51)]],
    ids=["one", "two", "four with a slow one", "fifty"],
)
def test_few_answers_never_give_a_p99_above_the_slowest(latencies: list[float]) -> None:
    figures = _figures(Tally(latencies=latencies), seconds=1.0)
    assert min(latencies) * 1000 <= figures["p50_ms"] <= figures["p90_ms"]
    assert figures["p90_ms"] <= figures["p99_ms"] <= figures["max_ms"] == max(latencies) * 1000


def test_many_answers_give_the_usual_percentiles() -> None:
    figures = _figures(Tally(latencies=[n / 1000 for n in range(1, 1001)]), seconds=2.0)
    assert figures["requests"] == 1000
    assert figures["p50_ms"] == pytest.approx(500.5)
    assert figures["p99_ms"] == pytest.approx(990.01)
    assert figures["max_ms"] == pytest.approx(1000.0)
