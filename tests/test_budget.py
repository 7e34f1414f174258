import threading
import time
from unittest import mock

import pytest

from derive.budget import Outcome, run_with_budget


def test_value_is_returned():
    assert run_with_budget(lambda: 42, 1.0) == Outcome(42, False)


def test_main_thread_budget_expires():
    start = time.monotonic()
    assert run_with_budget(lambda: time.sleep(5), 0.2).timed_out
    assert time.monotonic() - start < 2


def test_budget_works_in_a_thread():
    results = []
    worker = threading.Thread(target=lambda: results.append(run_with_budget(lambda: time.sleep(5), 0.2)))
    worker.start()
    worker.join(10)
    assert results and results[0].timed_out


def test_thread_returns_value():
    results = []
    worker = threading.Thread(target=lambda: results.append(run_with_budget(lambda: sum(range(10)), 5)))
    worker.start()
    worker.join(10)
    assert results == [Outcome(45, False)]


def test_exceptions_propagate():
    with pytest.raises(ZeroDivisionError):
        run_with_budget(lambda: 1 / 0, 1.0)


def test_nonpositive_budget_rejected():
    with pytest.raises(ValueError, match="positive"):
        run_with_budget(lambda: 1, 0)


def test_forced_expiry_via_mock_reports_timeout():
    with mock.patch("derive.budget._alarm_usable", return_value=False):
        assert run_with_budget(lambda: time.sleep(5), 0.2).timed_out


def test_nested_budget_keeps_outer_deadline():
    def outer():
        run_with_budget(lambda: None, 5)
        time.sleep(5)

    start = time.monotonic()
    assert run_with_budget(outer, 0.3).timed_out
    assert time.monotonic() - start < 2


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_expiry_swallowed_by_a_gc_callback_still_ends_the_computation():
    import gc

    swallowed = []

    def callback(phase, info):
        if phase == "start" and not swallowed:
            swallowed.append(True)
            time.sleep(0.3)  # the alarm fires here, inside the callback, and its exception is discarded

    gc.callbacks.append(callback)
    try:
        def work():
            gc.collect()  # the budget expires during this collection's callback
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                sum(range(1000))

        start = time.monotonic()
        assert run_with_budget(work, 0.1).timed_out
        assert time.monotonic() - start < 2
    finally:
        gc.callbacks.remove(callback)
