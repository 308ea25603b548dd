"""The keyword arguments of ``run`` / ``continue_run``, as TypedDicts.

Typed once here and unpacked into the overloads of the run methods, so the stream/non-stream
overloads do not repeat twenty parameters each. Unknown keywords are rejected at call time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from agentos.media import Audio, File, Image, Video
from agentos.models import ToolExecution
from agentos.run import RunRequirement
from pydantic import BaseModel


class RunKwargs(TypedDict, total=False):
    stream_events: bool | None
    user_id: str | None
    session_id: str | None
    session_state: dict[str, Any] | None
    images: Sequence[Image] | None
    audio: Sequence[Audio] | None
    videos: Sequence[Video] | None
    files: Sequence[File] | None
    retries: int | None
    knowledge_filters: dict[str, Any] | None
    add_history_to_context: bool | None
    add_dependencies_to_context: bool | None
    add_session_state_to_context: bool | None
    dependencies: dict[str, Any] | None
    metadata: dict[str, Any] | None
    output_schema: type[BaseModel] | dict[str, Any] | None
    debug_mode: bool | None
    # Choose the run's id (e.g. to honour a cancel that arrived before the run started).
    run_id: str | None


class ContinueKwargs(TypedDict, total=False):
    run_id: str | None
    updated_tools: Sequence[ToolExecution] | None
    requirements: Sequence[RunRequirement] | None
    stream_events: bool | None
    user_id: str | None
    session_id: str | None
    retries: int | None
    knowledge_filters: dict[str, Any] | None
    dependencies: dict[str, Any] | None
    debug_mode: bool | None


RUN_KWARGS = frozenset(RunKwargs.__annotations__)
CONTINUE_KWARGS = frozenset(ContinueKwargs.__annotations__)


def check_kwargs(method: str, given: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise TypeError(f"Agent.{method}() got unexpected keyword argument(s): {', '.join(unknown)}")
