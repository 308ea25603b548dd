"""What a tool returns (``ToolResult``) and what executing it produced (``FunctionResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agentos.exceptions import RetryAgentRun, StopAgentRun
from agentos.media import Audio, File, Image, Video

if TYPE_CHECKING:
    from agentos.run._context import RunContext
    from agentos.tools._function import Function


@dataclass(slots=True)
class ToolResult:
    """Return this from a tool to hand media back alongside the text the model sees.

    The run collects ``images`` / ``videos`` / ``audio`` / ``files`` into its output; only
    ``content`` goes to the model.
    """

    content: str = ""
    images: list[Image] | None = None
    videos: list[Video] | None = None
    audio: list[Audio] | None = None
    files: list[File] | None = None


@dataclass(slots=True)
class FunctionResult:
    """The outcome of one tool call, never an exception (except cancellation).

    ``content`` is what the model sees: the result rendered as text, or the error text when
    ``error`` is set. ``stop`` / ``retry`` hold a ``StopAgentRun`` / ``RetryAgentRun`` the tool
    raised so the run loop can act on it; ``error`` is then set to the exception's message.
    """

    result: Any = None
    content: str = ""
    error: str | None = None
    stop: StopAgentRun | None = None
    retry: RetryAgentRun | None = None
    images: list[Image] | None = None
    videos: list[Video] | None = None
    audio: list[Audio] | None = None
    files: list[File] | None = None
    duration: float = 0.0
    # True when the result came from the tool's result cache and the tool did not run.
    cached: bool = False


@dataclass(slots=True)
class FunctionCall:
    """One call of a tool, as pre_hook / post_hook see it.

    A pre_hook may change ``arguments`` before the tool runs; a post_hook sees ``result`` /
    ``error`` and may replace ``result``.
    """

    function: Function
    arguments: dict[str, Any]
    call_id: str
    run_context: RunContext | None = None
    result: Any = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.function.name
