"""Tool-result compression in the Agent's tool loop: the hook-up with ``CompressionManager``.

With ``compress_tool_results=True`` (or a ``compression_manager``, whose own
``compress_tool_results`` flag then decides) the loop checks before each model call whether the
conversation crossed the manager's thresholds and, if so, compresses the tool results in place
(``Message.compressed_content``); providers send the short forms from then on, while the run
keeps (and stores) the originals. A manager without a model uses the Agent's model. The
compression model's token usage is added to the run's metrics (per model in ``details``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentos.compression import CompressionManager
from agentos.models import record_model_usage

if TYPE_CHECKING:
    from agentos.agent._state import RunState


def manager_for(state: RunState) -> CompressionManager | None:
    """The run's compression manager, or None when compression is off."""
    agent = state.agent
    configured = agent.compression_manager
    if configured is None:
        return CompressionManager(model=state.model) if agent.compress_tool_results else None
    if not isinstance(configured, CompressionManager):
        raise TypeError(f"compression_manager must be a CompressionManager, got {type(configured).__name__}")
    return configured.with_defaults(model=state.model)


async def compress_before_model_call(state: RunState) -> None:
    """Compress the run's tool results if a threshold is reached (called before each model call)."""
    manager = manager_for(state)
    if manager is None:
        return
    if not manager.should_compress(state.messages, state.tools.definitions, state.model):
        return
    with record_model_usage(state.metrics):
        await state.cancel.guard(manager.acompress(state.messages))
