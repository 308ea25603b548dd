"""The Agent: a cheap, shareable definition of a model, its instructions and tools.

An Agent holds configuration only. Everything a run changes lives in a per-run state object
(``_state.RunState``), so one Agent serves many concurrent runs. Construction just stores the
parameters in slots (Agno users build agents per request; that must cost microseconds);
derived data (resolved tools and their JSON schemas, models given as strings) is computed on
first use and cached, which is safe because it is immutable once computed.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload
from uuid import uuid4

from agentos.agent._kwargs import CONTINUE_KWARGS, RUN_KWARGS, ContinueKwargs, RunKwargs, check_kwargs
from agentos.agent._params import DEFERRED_FEATURES, PARAM_DEFAULTS
from agentos.agent._session_api import SessionMethods
from agentos.agent._session_cache import SessionCache
from agentos.exceptions import ModelNotConfiguredError
from agentos.models import Message, Model
from agentos.run import RunEvent, RunOutput, RunOutputEvent
from agentos.run.cancellation import get_cancellation_registry
from pydantic import BaseModel
from typing_extensions import Unpack

if TYPE_CHECKING:
    from agentos.tools import ResolvedTools

_SLOTS = tuple("_id" if name == "id" else name for name in PARAM_DEFAULTS)


class Agent(SessionMethods):
    """An agent: ``Agent(model=..., instructions=..., tools=[...])``, run with ``run``/``arun``.

    Every Agno constructor parameter is accepted under its Agno name and default. Parameters of
    features that are not implemented yet (memory, knowledge, ...) are stored and listed by
    :attr:`features`; unknown keywords raise TypeError. With ``db=...`` runs are stored in
    sessions; the session methods (``get_session``, ``get_session_state``, ...) come from
    ``SessionMethods``.
    """

    __slots__ = (*_SLOTS, "_models", "_resolved_tools", "_session_cache")

    def __init__(
        self,
        *,
        model: Model | str | None = None,
        name: str | None = None,
        id: str | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        add_session_state_to_context: bool = False,
        enable_agentic_state: bool = False,
        overwrite_db_session_state: bool = False,
        cache_session: bool = False,
        search_session_history: bool | None = False,
        num_history_sessions: int | None = None,
        dependencies: dict[str, Any] | None = None,
        add_dependencies_to_context: bool = False,
        db: Any = None,
        memory_manager: Any = None,
        enable_agentic_memory: bool = False,
        enable_user_memories: bool = False,
        add_memories_to_context: bool | None = None,
        enable_session_summaries: bool = False,
        add_session_summary_to_context: bool | None = None,
        session_summary_manager: Any = None,
        compress_tool_results: bool = False,
        compression_manager: Any = None,
        add_history_to_context: bool = False,
        num_history_runs: int | None = None,
        num_history_messages: int | None = None,
        knowledge: Any = None,
        knowledge_filters: dict[str, Any] | list[Any] | None = None,
        enable_agentic_knowledge_filters: bool | None = None,
        add_knowledge_to_context: bool = False,
        knowledge_retriever: Callable[..., Any] | None = None,
        references_format: Literal["json", "yaml"] = "json",
        metadata: dict[str, Any] | None = None,
        tools: Sequence[Any] | None = None,
        tool_call_limit: int | None = None,
        tool_choice: str | dict[str, Any] | None = None,
        max_tool_calls_from_history: int | None = None,
        tool_hooks: list[Callable[..., Any]] | None = None,
        pre_hooks: list[Any] | None = None,
        post_hooks: list[Any] | None = None,
        reasoning: bool = False,
        reasoning_model: Model | str | None = None,
        reasoning_agent: Any = None,
        reasoning_min_steps: int = 1,
        reasoning_max_steps: int = 10,
        read_chat_history: bool = False,
        search_knowledge: bool = True,
        update_knowledge: bool = False,
        read_tool_call_history: bool = False,
        send_media_to_model: bool = True,
        store_media: bool = True,
        store_tool_messages: bool = True,
        store_history_messages: bool = True,
        system_message: str | Callable[..., Any] | Message | None = None,
        system_message_role: str = "system",
        introduction: str | None = None,
        build_context: bool = True,
        description: str | None = None,
        instructions: str | list[str] | Callable[..., Any] | None = None,
        expected_output: str | None = None,
        additional_context: str | None = None,
        markdown: bool = False,
        add_name_to_context: bool = False,
        add_datetime_to_context: bool = False,
        add_location_to_context: bool = False,
        timezone_identifier: str | None = None,
        resolve_in_context: bool = True,
        additional_input: list[Any] | None = None,
        user_message_role: str = "user",
        build_user_context: bool = True,
        retries: int = 0,
        delay_between_retries: float = 1,
        exponential_backoff: bool = False,
        input_schema: type[BaseModel] | None = None,
        output_schema: type[BaseModel] | dict[str, Any] | None = None,
        parser_model: Model | str | None = None,
        parser_model_prompt: str | None = None,
        output_model: Model | str | None = None,
        output_model_prompt: str | None = None,
        parse_response: bool = True,
        structured_outputs: bool | None = None,
        use_json_mode: bool = False,
        save_response_to_file: str | None = None,
        stream: bool | None = None,
        stream_events: bool = False,
        store_events: bool = False,
        events_to_skip: list[RunEvent | str] | None = None,
        role: str | None = None,
        debug_mode: bool = False,
        debug_level: Literal[1, 2] = 1,
        telemetry: bool = True,
    ) -> None:
        self.model = model
        self.name = name
        self._id = id
        self.user_id = user_id
        self.session_id = session_id
        self.session_state = session_state
        self.add_session_state_to_context = add_session_state_to_context
        self.enable_agentic_state = enable_agentic_state
        self.overwrite_db_session_state = overwrite_db_session_state
        self.cache_session = cache_session
        self.search_session_history = search_session_history
        self.num_history_sessions = num_history_sessions
        self.dependencies = dependencies
        self.add_dependencies_to_context = add_dependencies_to_context
        self.db = db
        self.memory_manager = memory_manager
        self.enable_agentic_memory = enable_agentic_memory
        self.enable_user_memories = enable_user_memories
        self.add_memories_to_context = add_memories_to_context
        self.enable_session_summaries = enable_session_summaries
        self.add_session_summary_to_context = add_session_summary_to_context
        self.session_summary_manager = session_summary_manager
        self.compress_tool_results = compress_tool_results
        self.compression_manager = compression_manager
        self.add_history_to_context = add_history_to_context
        self.num_history_runs = num_history_runs
        self.num_history_messages = num_history_messages
        self.knowledge = knowledge
        self.knowledge_filters = knowledge_filters
        self.enable_agentic_knowledge_filters = enable_agentic_knowledge_filters
        self.add_knowledge_to_context = add_knowledge_to_context
        self.knowledge_retriever = knowledge_retriever
        self.references_format = references_format
        self.metadata = metadata
        self.tools = tools
        self.tool_call_limit = tool_call_limit
        self.tool_choice = tool_choice
        self.max_tool_calls_from_history = max_tool_calls_from_history
        self.tool_hooks = tool_hooks
        self.pre_hooks = pre_hooks
        self.post_hooks = post_hooks
        self.reasoning = reasoning
        self.reasoning_model = reasoning_model
        self.reasoning_agent = reasoning_agent
        self.reasoning_min_steps = reasoning_min_steps
        self.reasoning_max_steps = reasoning_max_steps
        self.read_chat_history = read_chat_history
        self.search_knowledge = search_knowledge
        self.update_knowledge = update_knowledge
        self.read_tool_call_history = read_tool_call_history
        self.send_media_to_model = send_media_to_model
        self.store_media = store_media
        self.store_tool_messages = store_tool_messages
        self.store_history_messages = store_history_messages
        self.system_message = system_message
        self.system_message_role = system_message_role
        self.introduction = introduction
        self.build_context = build_context
        self.description = description
        self.instructions = instructions
        self.expected_output = expected_output
        self.additional_context = additional_context
        self.markdown = markdown
        self.add_name_to_context = add_name_to_context
        self.add_datetime_to_context = add_datetime_to_context
        self.add_location_to_context = add_location_to_context
        self.timezone_identifier = timezone_identifier
        self.resolve_in_context = resolve_in_context
        self.additional_input = additional_input
        self.user_message_role = user_message_role
        self.build_user_context = build_user_context
        self.retries = retries
        self.delay_between_retries = delay_between_retries
        self.exponential_backoff = exponential_backoff
        self.input_schema = input_schema
        self.output_schema = output_schema
        self.parser_model = parser_model
        self.parser_model_prompt = parser_model_prompt
        self.output_model = output_model
        self.output_model_prompt = output_model_prompt
        self.parse_response = parse_response
        self.structured_outputs = structured_outputs
        self.use_json_mode = use_json_mode
        self.save_response_to_file = save_response_to_file
        self.stream = stream
        self.stream_events = stream_events
        self.store_events = store_events
        self.events_to_skip = events_to_skip
        self.role = role
        self.debug_mode = debug_mode
        self.debug_level = debug_level
        self.telemetry = telemetry
        self._resolved_tools: ResolvedTools | None = None
        self._models: dict[str, Model] | None = None
        # Only used with cache_session: a cache of stored sessions keyed by session_id (see
        # _session_cache for why this cross-run data is safe on a shared Agent).
        self._session_cache: SessionCache | None = None

    # Identity -------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        """The agent's id; a uuid4 is assigned on first use when none was given."""
        value = self._id
        if value is None:
            value = self._id = str(uuid4())
        return value

    @id.setter
    def id(self, value: str | None) -> None:
        self._id = value

    def __repr__(self) -> str:
        return f"Agent(name={self.name!r}, id={self.id!r}, model={self._model_label()!r})"

    def _model_label(self) -> str | None:
        model = self.model
        if model is None or isinstance(model, str):
            return model
        return model.key

    # Derived, cached data ---------------------------------------------------------------------
    def _resolve_model(self, model: Model | str | None) -> Model | None:
        """A Model for a Model-or-"provider:model_id" parameter (strings resolved once, cached)."""
        if model is None or isinstance(model, Model):
            return model
        cache = self._models
        if cache is None:
            cache = self._models = {}
        resolved = cache.get(model)
        if resolved is None:
            try:
                from agentos.models import get_model
            except ImportError as exc:
                raise ModelNotConfiguredError(
                    f"cannot resolve model string {model!r}: agentos.models.get_model is not available"
                ) from exc
            resolved = get_model(model)
            if not isinstance(resolved, Model):
                raise ModelNotConfiguredError(f"get_model({model!r}) did not return a Model")
            cache[model] = resolved
        return resolved

    def _main_model(self) -> Model:
        model = self._resolve_model(self.model)
        if model is None:
            raise ModelNotConfiguredError(
                f"agent {self.name or self.id!r} has no model: "
                "pass model=<Model> or model='provider:model_id'"
            )
        return model

    def _tools(self) -> ResolvedTools:
        resolved = self._resolved_tools
        if resolved is None:
            from agentos.agent._builtin_tools import builtin_tools
            from agentos.agent._memory import memory_tools
            from agentos.tools import resolve_tools

            resolved = self._resolved_tools = resolve_tools(
                [*(self.tools or ()), *builtin_tools(self), *memory_tools(self)]
            )
        return resolved

    # Tools -------------------------------------------------------------------------------------
    def add_tool(self, tool: Any) -> None:
        """Add one tool (Toolkit, Function, callable or OpenAI-format dict)."""
        self.tools = [*(self.tools or ()), tool]
        self._resolved_tools = None

    def set_tools(self, tools: Sequence[Any]) -> None:
        """Replace every tool."""
        self.tools = list(tools)
        self._resolved_tools = None

    def get_tools(self) -> list[Any]:
        """The resolved tools (``Function`` objects) the model is offered, in order."""
        return list(self._tools().functions.values())

    # Running ---------------------------------------------------------------------------------
    @overload
    def run(
        self, input: Any = None, *, stream: Literal[False] | None = None, **kwargs: Unpack[RunKwargs]
    ) -> RunOutput: ...

    @overload
    def run(
        self,
        input: Any = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[False] = False,
        **kwargs: Unpack[RunKwargs],
    ) -> Iterator[RunOutputEvent]: ...

    @overload
    def run(
        self,
        input: Any = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[True],
        **kwargs: Unpack[RunKwargs],
    ) -> Iterator[RunOutputEvent | RunOutput]: ...

    def run(
        self,
        input: Any = None,
        *,
        stream: bool | None = None,
        yield_run_output: bool = False,
        **kwargs: Unpack[RunKwargs],
    ) -> RunOutput | Iterator[RunOutputEvent] | Iterator[RunOutputEvent | RunOutput]:
        """Run the agent: a RunOutput, or with ``stream=True`` an iterator of events.

        ``stream=None`` follows the agent's ``stream`` setting (the static type then assumes a
        RunOutput). With ``yield_run_output=True`` a stream ends with the final RunOutput after
        the terminal event. Must not be called from inside a running event loop: use ``arun``.
        """
        from agentos.agent import _engine, _sync

        check_kwargs("run", kwargs, RUN_KWARGS)
        _sync.ensure_no_running_loop("run")
        state, media = _engine.prepare_run(self, input, stream=stream, kwargs=kwargs)
        if state.options.stream:
            return _sync.iterate_sync(
                _engine.stream_events(state, input, media, yield_run_output=yield_run_output)
            )
        return _sync.run_sync(_engine.run_to_output(state, input, media))

    @overload
    def arun(
        self, input: Any = None, *, stream: Literal[False] | None = None, **kwargs: Unpack[RunKwargs]
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def arun(
        self,
        input: Any = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[False] = False,
        **kwargs: Unpack[RunKwargs],
    ) -> AsyncIterator[RunOutputEvent]: ...

    @overload
    def arun(
        self,
        input: Any = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[True],
        **kwargs: Unpack[RunKwargs],
    ) -> AsyncIterator[RunOutputEvent | RunOutput]: ...

    def arun(
        self,
        input: Any = None,
        *,
        stream: bool | None = None,
        yield_run_output: bool = False,
        **kwargs: Unpack[RunKwargs],
    ) -> (
        Coroutine[Any, Any, RunOutput]
        | AsyncIterator[RunOutputEvent]
        | AsyncIterator[RunOutputEvent | RunOutput]
    ):
        """``await agent.arun(...)`` for a RunOutput; ``async for e in agent.arun(..., stream=True)``.

        ``yield_run_output=True`` (streaming only, as Agno's ``yield_run_output``): the final
        RunOutput is yielded after the terminal event, for callers that relay the events and
        also need the whole run (the gRPC runtime).
        """
        from agentos.agent import _engine

        check_kwargs("arun", kwargs, RUN_KWARGS)
        state, media = _engine.prepare_run(self, input, stream=stream, kwargs=kwargs)
        if state.options.stream:
            return _engine.stream_events(state, input, media, yield_run_output=yield_run_output)
        return _engine.run_to_output(state, input, media)

    @overload
    def continue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[False] | None = None,
        **kwargs: Unpack[ContinueKwargs],
    ) -> RunOutput: ...

    @overload
    def continue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[False] = False,
        **kwargs: Unpack[ContinueKwargs],
    ) -> Iterator[RunOutputEvent]: ...

    @overload
    def continue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[True],
        **kwargs: Unpack[ContinueKwargs],
    ) -> Iterator[RunOutputEvent | RunOutput]: ...

    def continue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: bool | None = None,
        yield_run_output: bool = False,
        **kwargs: Unpack[ContinueKwargs],
    ) -> RunOutput | Iterator[RunOutputEvent] | Iterator[RunOutputEvent | RunOutput]:
        """Resume a paused run: ``continue_run(run_response=paused)``, or
        ``continue_run(run_id=..., updated_tools=[...])`` / ``requirements=[...]``.
        ``yield_run_output`` as in ``run``."""
        from agentos.agent import _engine, _sync

        check_kwargs("continue_run", kwargs, CONTINUE_KWARGS)
        _sync.ensure_no_running_loop("continue_run")
        plan = _engine.prepare_continue(self, run_response, stream=stream, kwargs=kwargs)
        if plan.options.stream:
            return _sync.iterate_sync(_engine.stream_continue(plan, yield_run_output=yield_run_output))
        return _sync.run_sync(_engine.continue_to_output(plan))

    @overload
    def acontinue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[False] | None = None,
        **kwargs: Unpack[ContinueKwargs],
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def acontinue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[False] = False,
        **kwargs: Unpack[ContinueKwargs],
    ) -> AsyncIterator[RunOutputEvent]: ...

    @overload
    def acontinue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[True],
        yield_run_output: Literal[True],
        **kwargs: Unpack[ContinueKwargs],
    ) -> AsyncIterator[RunOutputEvent | RunOutput]: ...

    def acontinue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: bool | None = None,
        yield_run_output: bool = False,
        **kwargs: Unpack[ContinueKwargs],
    ) -> (
        Coroutine[Any, Any, RunOutput]
        | AsyncIterator[RunOutputEvent]
        | AsyncIterator[RunOutputEvent | RunOutput]
    ):
        """Async ``continue_run`` (``yield_run_output`` as in ``arun``)."""
        from agentos.agent import _engine

        check_kwargs("acontinue_run", kwargs, CONTINUE_KWARGS)
        plan = _engine.prepare_continue(self, run_response, stream=stream, kwargs=kwargs)
        if plan.options.stream:
            return _engine.stream_continue(plan, yield_run_output=yield_run_output)
        return _engine.continue_to_output(plan)

    @staticmethod
    def cancel_run(run_id: str) -> bool:
        """Cancel a run of this process by id: True if it was running. A cancel for a run that has
        not started yet is remembered (for a while) and ends that run as soon as it starts."""
        from agentos.agent._engine import cancel_paused

        return cancel_paused(run_id) or get_cancellation_registry().cancel(run_id)

    @staticmethod
    async def await_background_tasks(user_id: str | None = None) -> None:
        """Wait for the background work runs left on this event loop: the memory updates of
        ``enable_user_memories`` (of one user when ``user_id`` is given). Call it before shutting
        down, or before reading memories a run just created; see ``agent._memory``."""
        from agentos.agent._memory import wait_for_memory_updates

        await wait_for_memory_updates(user_id)

    def print_response(
        self,
        input: Any = None,
        *,
        stream: bool | None = None,
        markdown: bool | None = None,
        show_message: bool = True,
        show_reasoning: bool = False,
        show_full_reasoning: bool = False,
        console: Any = None,
        tags_to_include_in_markdown: set[str] | None = None,
        **kwargs: Unpack[RunKwargs],
    ) -> None:
        """Run and print the message, the reasoning and the answer (development aid).

        ``markdown`` (default: the agent's) renders the answer when ``rich`` is installed;
        ``console`` may be a text file or a rich Console. See ``agent._printing``.
        """
        from agentos.agent import _printing, _sync

        check_kwargs("print_response", kwargs, RUN_KWARGS)
        _sync.ensure_no_running_loop("print_response")
        _sync.run_sync(
            _printing.aprint_response(
                self,
                input,
                stream=stream,
                markdown=markdown,
                show_message=show_message,
                show_reasoning=show_reasoning,
                show_full_reasoning=show_full_reasoning,
                console=console,
                tags_to_include_in_markdown=tags_to_include_in_markdown,
                kwargs=kwargs,
            )
        )

    async def aprint_response(
        self,
        input: Any = None,
        *,
        stream: bool | None = None,
        markdown: bool | None = None,
        show_message: bool = True,
        show_reasoning: bool = False,
        show_full_reasoning: bool = False,
        console: Any = None,
        tags_to_include_in_markdown: set[str] | None = None,
        **kwargs: Unpack[RunKwargs],
    ) -> None:
        """Async ``print_response``."""
        from agentos.agent import _printing

        check_kwargs("aprint_response", kwargs, RUN_KWARGS)
        await _printing.aprint_response(
            self,
            input,
            stream=stream,
            markdown=markdown,
            show_message=show_message,
            show_reasoning=show_reasoning,
            show_full_reasoning=show_full_reasoning,
            console=console,
            tags_to_include_in_markdown=tags_to_include_in_markdown,
            kwargs=kwargs,
        )

    # Copies and descriptions ---------------------------------------------------------------------
    def _params(self) -> dict[str, Any]:
        return {name: getattr(self, slot) for name, slot in zip(PARAM_DEFAULTS, _SLOTS, strict=True)}

    def deep_copy(self, *, update: dict[str, Any] | None = None) -> Agent:
        """A copy with its own mutable settings (session_state, metadata, ...), plus ``update``.

        Models, tools, databases and other resources are shared, not copied: they are meant to be
        shared and may hold connections.
        """
        params = self._params()
        params["id"] = self.id
        for name in ("session_state", "metadata", "knowledge_filters"):
            if params[name] is not None:
                params[name] = copy.deepcopy(params[name])
        for name in ("dependencies",):
            if params[name] is not None:
                params[name] = dict(params[name])
        for name in ("tools", "tool_hooks", "pre_hooks", "post_hooks", "additional_input", "events_to_skip"):
            if params[name] is not None:
                params[name] = list(params[name])
        if update:
            params.update(update)
        return Agent(**params)

    @property
    def features(self) -> dict[str, str]:
        """The features this agent configures: "active", or "stored, not active yet: <why>"."""
        out: dict[str, str] = {}
        for name, default in PARAM_DEFAULTS.items():
            if name in ("id", "name", "model"):
                continue
            value = getattr(self, "_id" if name == "id" else name)
            if value is None or value == default or value is False:
                continue
            reason = DEFERRED_FEATURES.get(name)
            out[name] = f"stored, not active yet: {reason}" if reason else "active"
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able description: the parameters that differ from the defaults, plus features."""
        from agentos.run._serialize import to_jsonable

        out: dict[str, Any] = {"id": self.id, "name": self.name}
        model = self.model
        out["model"] = model.to_dict() if isinstance(model, Model) else model
        for name, default in PARAM_DEFAULTS.items():
            if name in ("id", "name", "model"):
                continue
            value = getattr(self, name)
            if value is None or value == default:
                continue
            out[name] = _describe(value)
        if self.tools:
            try:
                out["tools"] = [f.name for f in self.get_tools()]
            except (TypeError, ValueError):
                out["tools"] = [_describe(t) for t in self.tools]
        out["features"] = self.features
        return to_jsonable(out)  # type: ignore[no-any-return]


def _describe(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, type) and issubclass(value, BaseModel):
        return value.__name__
    if isinstance(value, Message):
        return {"role": value.role, "content": value.content}
    if isinstance(value, list):
        return [_describe(v) for v in value]
    if isinstance(value, str | int | float | bool | dict):
        return value
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return type(value).__name__
