"""``RemoteTeam``: a team served by another AgentOS, used like a local team.

Runs return what the server's team runs decode to; team run outputs and events need
``TeamRunOutput`` and the team event classes in ``agentos.run`` (until they exist, decoding a
team run raises NotImplementedError and a team event ``UnsupportedEventError``). Agno's
RemoteTeam has no continue method, and neither does this one.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from agentos.client._client import AgentOSClient
from agentos.client._errors import AgentOSClientError
from agentos.client._remote import RemoteDb, RemoteEntity, RemoteKnowledge
from agentos.client._sync import ensure_no_running_loop, iterate_sync, run_sync
from agentos.client._transport import Headers
from agentos.client._types import ModelInfo, TeamMemberInfo, TeamResponse

if TYPE_CHECKING:
    from agentos.media import Audio, File, Image, Video
    from agentos.run import RunOutput, RunOutputEvent


class RemoteTeam(RemoteEntity[TeamResponse]):
    """A team of the AgentOS at ``base_url`` (parameters as for ``RemoteAgent``)."""

    kind = "team"

    def __init__(
        self,
        base_url: str,
        team_id: str,
        timeout: float | None = 300.0,
        config_ttl: float = 300.0,
        *,
        auth_token: str | None = None,
        headers: Headers | None = None,
        client: AgentOSClient | None = None,
    ) -> None:
        super().__init__(
            base_url,
            team_id,
            timeout=timeout,
            config_ttl=config_ttl,
            auth_token=auth_token,
            headers=headers,
            client=client,
        )

    @property
    def team_id(self) -> str:
        return self.id

    async def _fetch_config(self, auth_token: str | None = None) -> TeamResponse:
        return await self.client.aget_team(self.id, auth_token=auth_token)

    async def get_team_config(self, auth_token: str | None = None) -> TeamResponse:
        """The team's configuration (with ``members``), always fetched from the server (and cached)."""
        return self._store(await self._fetch_config(auth_token))

    @property
    def name(self) -> str | None:
        config = self.cached_config()
        return config.name or None if config is not None else None

    @property
    def description(self) -> str | None:
        config = self.cached_config()
        return config.description or None if config is not None else None

    @property
    def role(self) -> str | None:
        config = self.cached_config()
        return config.role or None if config is not None else None

    @property
    def tools(self) -> list[dict[str, Any]]:
        config = self.cached_config()
        return list(config.tools) if config is not None else []

    @property
    def members(self) -> list[TeamMemberInfo]:
        config = self.cached_config()
        return list(config.members) if config is not None else []

    @property
    def model(self) -> ModelInfo | None:
        config = self.cached_config()
        return config.model if config is not None else None

    @property
    def db(self) -> RemoteDb | None:
        config = self.cached_config()
        return RemoteDb(config.db_id) if config is not None and config.db_id else None

    @property
    def knowledge(self) -> RemoteKnowledge | None:
        config = self.cached_config()
        return RemoteKnowledge(config.knowledge_id) if config is not None and config.knowledge_id else None

    async def _default_stream_events(self) -> bool:
        try:
            config = await self.aconfig()
        except AgentOSClientError:
            return False
        return bool(config.features.get("stream_events", False))

    @overload
    def arun(
        self, input: Any = None, *, stream: Literal[False] = False, **kwargs: Any
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def arun(
        self, input: Any = None, *, stream: Literal[True], **kwargs: Any
    ) -> AsyncIterator[RunOutputEvent]: ...

    def arun(
        self,
        input: Any = None,
        *,
        stream: bool = False,
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        add_history_to_context: bool | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        run_id: str | None = None,
        auth_token: str | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> Coroutine[Any, Any, RunOutput] | AsyncIterator[RunOutputEvent]:
        """Run the remote team: ``await`` for the output, or ``stream=True`` for its events."""
        options: dict[str, Any] = {
            "session_id": session_id,
            "user_id": user_id,
            "images": images,
            "audio": audio,
            "videos": videos,
            "files": files,
            "session_state": session_state,
            "dependencies": dependencies,
            "metadata": metadata,
            "knowledge_filters": knowledge_filters,
            "add_history_to_context": add_history_to_context,
            "retries": retries,
            "run_id": run_id,
            "headers": headers,
            "auth_token": auth_token,
        }
        if stream:
            return self._stream(input, stream_events, resume_on_disconnect, options)
        return self.client.run_team(self.id, input, stream_events=bool(stream_events), **options)

    async def _stream(
        self, input: Any, stream_events: bool | None, resume: bool, options: dict[str, Any]
    ) -> AsyncIterator[RunOutputEvent]:
        events = stream_events if stream_events is not None else await self._default_stream_events()
        source = self.client.run_team_stream(
            self.id, input, stream_events=events, resume_on_disconnect=resume, **options
        )
        async with contextlib.aclosing(source):  # type: ignore[type-var]
            async for event in source:
                yield event

    @overload
    def run(self, input: Any = None, *, stream: Literal[False] = False, **kwargs: Any) -> RunOutput: ...

    @overload
    def run(self, input: Any = None, *, stream: Literal[True], **kwargs: Any) -> Iterator[RunOutputEvent]: ...

    def run(
        self, input: Any = None, *, stream: bool = False, **kwargs: Any
    ) -> RunOutput | Iterator[RunOutputEvent]:
        """Sync ``arun``."""
        ensure_no_running_loop("RemoteTeam.run()")
        if stream:
            return iterate_sync(self.arun(input, stream=True, **kwargs), "RemoteTeam.run()")
        return run_sync(self.arun(input, stream=False, **kwargs), "RemoteTeam.run()")
