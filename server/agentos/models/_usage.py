"""Recording the token usage of model calls made on a run's behalf by helpers.

The run loop accounts for the calls it makes itself. Helpers that call a model for the run
(the memory manager, the session summary manager, tool-result compression) live in other
packages and return their results, not their usage; threading a metrics object through every
helper API would couple them to the run loop. Instead ``Model.ainvoke`` / ``Model.astream``
report each call's usage to the :class:`Metrics` installed with :func:`record_model_usage`, if
any. It is a context variable, so it follows the code that set it (including tasks created
while it is set, which copy the context) and never leaks into concurrent runs. Costs one
``ContextVar.get`` per model call when nothing records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from agentos.models._metrics import Metrics

_SINK: ContextVar[Metrics | None] = ContextVar("agentos_model_usage_sink", default=None)


@contextmanager
def record_model_usage(into: Metrics) -> Iterator[Metrics]:
    """Add the usage of every model call made inside the block to ``into`` (per model key).

    Do not yield from an async generator inside the block: the variable would stay set in the
    consumer's context until the generator resumes.
    """
    token = _SINK.set(into)
    try:
        yield into
    finally:
        _SINK.reset(token)


def report_usage(model_key: str, usage: Metrics | None) -> None:
    """Called by ``Model`` after each call: add ``usage`` to the current recorder, if one is set."""
    if usage is None:
        return
    sink = _SINK.get()
    if sink is not None:
        sink.add_usage(model_key, usage)
