"""``RemoteTeam``: a team served by another AgentOS, used like a local team.

Runs return what the server's team runs decode to; team run outputs and events need
``TeamRunOutput`` and the team event classes in ``agentos.run`` (until they exist, decoding a
team run raises NotImplementedError and a team event ``UnsupportedEventError``). Agno's
RemoteTeam has no continue method, and neither does this one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from agentos.client._client import AgentOSClient
from agentos.client._remote import RemoteMember, run_options
from agentos.client._transport import Headers
from agentos.client._types import TeamMemberInfo, TeamResponse

if TYPE_CHECKING:
    from agentos.media import Audio, File, Image, Video
    from agentos.run import RunOutput, RunOutputEvent


class RemoteTeam(RemoteMember[TeamResponse]):
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
        super().__init__(base_url, team_id, timeout, config_ttl, auth_token, headers, client)

    @property
    def team_id(self) -> str:
        return self.id

    async def _fetch_config(self, auth_token: str | None = None) -> TeamResponse:
        return await self.client.aget_team(self.id, auth_token=auth_token)

    async def get_team_config(self, auth_token: str | None = None) -> TeamResponse:
        """The team's configuration (with ``members``), always fetched from the server (and cached)."""
        return await self._afresh_config(auth_token)

    @property
    def members(self) -> list[TeamMemberInfo]:
        return self._config_field(lambda config: list(config.members), [])

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
        options = run_options(locals())
        if stream:

            def start(events: bool) -> AsyncIterator[RunOutputEvent]:
                return self.client.run_team_stream(
                    self.id, input, stream_events=events, resume_on_disconnect=resume_on_disconnect, **options
                )

            return self._relay(start, stream_events)
        return self.client.run_team(self.id, input, stream_events=bool(stream_events), **options)
