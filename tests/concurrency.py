"""Races for the row-lock tests (SEC-33): calls released together, each in its own thread and connection."""

import threading

from django.db import connection


def run_at_once(call, arguments, timeout=30):
    """``call(argument)`` for every argument, in one thread each, all started by a barrier.

    Returns what each call returned or raised (the exception itself), in no particular order.
    Each thread closes its own database connection, so the test database can be flushed afterwards.
    """
    barrier = threading.Barrier(len(arguments))
    outcomes = []

    def one(argument):
        try:
            barrier.wait(timeout=timeout)
            outcomes.append(call(argument))
        except Exception as exc:  # noqa: BLE001 - the caller judges every outcome
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    return outcomes
