from __future__ import annotations

import pytest

from infra.ai.circuit_breaker import BreakerState, CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_breaker(failures: int = 3, reset: float = 30.0) -> tuple[CircuitBreaker, FakeClock]:
    clock = FakeClock()
    return CircuitBreaker(failures, reset, clock=clock), clock


def state_of(breaker: CircuitBreaker) -> BreakerState:
    # A call, not the property: mypy would narrow the property across assertions.
    return breaker.state


def open_breaker(breaker: CircuitBreaker) -> None:
    while state_of(breaker) is not BreakerState.OPEN:
        assert breaker.allow()
        breaker.record_failure()


def test_closed_breaker_allows_calls() -> None:
    breaker, _ = make_breaker()
    assert state_of(breaker) is BreakerState.CLOSED
    assert all(breaker.allow() for _ in range(10))


def test_opens_after_consecutive_failures_only() -> None:
    breaker, _ = make_breaker(failures=3)
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()  # resets the count
    breaker.record_failure()
    breaker.record_failure()
    assert state_of(breaker) is BreakerState.CLOSED
    assert breaker.consecutive_failures == 2
    breaker.record_failure()
    assert state_of(breaker) is BreakerState.OPEN
    assert not breaker.allow()


def test_open_breaker_refuses_until_reset_time() -> None:
    breaker, clock = make_breaker(reset=30.0)
    open_breaker(breaker)
    clock.advance(29.9)
    assert state_of(breaker) is BreakerState.OPEN
    assert not breaker.allow()
    clock.advance(0.1)
    assert state_of(breaker) is BreakerState.HALF_OPEN


def test_half_open_allows_a_single_trial() -> None:
    breaker, clock = make_breaker()
    open_breaker(breaker)
    clock.advance(30)
    assert breaker.allow()
    assert not breaker.allow()  # the trial is still running


def test_successful_trial_closes() -> None:
    breaker, clock = make_breaker()
    open_breaker(breaker)
    clock.advance(30)
    assert breaker.allow()
    breaker.record_success()
    assert state_of(breaker) is BreakerState.CLOSED
    assert breaker.consecutive_failures == 0
    assert breaker.allow()
    assert breaker.allow()


def test_failed_trial_reopens_for_another_period() -> None:
    breaker, clock = make_breaker(reset=30.0)
    open_breaker(breaker)
    clock.advance(45)
    assert breaker.allow()
    breaker.record_failure()
    assert state_of(breaker) is BreakerState.OPEN
    clock.advance(29)
    assert not breaker.allow()
    clock.advance(1)
    assert breaker.allow()


def test_release_frees_the_trial_without_a_verdict() -> None:
    breaker, clock = make_breaker()
    open_breaker(breaker)
    clock.advance(30)
    assert breaker.allow()
    breaker.release()
    assert state_of(breaker) is BreakerState.HALF_OPEN
    assert breaker.allow()


@pytest.mark.parametrize(("failures", "reset"), [(0, 1.0), (1, 0.0), (1, -1.0)])
def test_rejects_nonsense_configuration(failures: int, reset: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        CircuitBreaker(failures, reset)
