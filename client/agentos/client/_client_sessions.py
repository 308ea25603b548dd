"""Sessions: create, list, read, update (rename, state, metadata) and delete them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from agentos.client._client_core import ClientCore, fill_struct, no_db_selector, update_mask
from agentos.client._errors import NotFoundError
from agentos.client._transport import Headers
from agentos.client._types import PaginatedResponse

if TYPE_CHECKING:
    from agentos.session import Session, SessionType


def _owner_kind(team_id: str | None, workflow_id: str | None) -> str:
    return "team" if team_id else "workflow" if workflow_id else "agent"


class SessionMethods(ClientCore):
    """The ``SessionService`` calls, returning ``AgentSession``/``TeamSession``/``WorkflowSession``."""

    async def create_session(
        self,
        session_type: SessionType | str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        session_name: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        *,
        session_state: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        request_id: str | None = None,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """Create a session (an ``AgentSession``, ``TeamSession`` or ``WorkflowSession``).

        ``session_type`` defaults to the kind of owner given (``agent_id``, ``team_id`` or
        ``workflow_id``), else agent.
        """
        from agentos.session import SessionType as DomainSessionType
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto, session_type_to_proto

        no_db_selector(db_id)
        session = sessions_pb2.Session(
            session_id=session_id or "",
            session_type=session_type_to_proto(
                DomainSessionType(session_type or _owner_kind(team_id, workflow_id))
            ),
            agent_id=agent_id or "",
            team_id=team_id or "",
            workflow_id=workflow_id or "",
            user_id=user_id or "",
            session_name=session_name or "",
        )
        fill_struct(session, "session_state", session_state)
        fill_struct(session, "metadata", metadata)
        request = sessions_pb2.CreateSessionRequest(session=session, request_id=request_id or "")
        response = await self._call("sessions", "CreateSession", request, headers, auth_token)
        return session_from_proto(response.session)

    async def get_sessions(
        self,
        user_id: str | None = None,
        session_type: SessionType | str | None = None,
        limit: int = 20,
        page: int = 1,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        session_name: str | None = None,
        order_by: str = "",
        page_token: str | None = None,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[Session]:
        """Sessions matching the filters, one page (``.data``), most recently updated first."""
        from agentos.session import SessionType as DomainSessionType
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto, session_type_to_proto

        no_db_selector(db_id)
        request = sessions_pb2.ListSessionsRequest(
            page_size=limit,
            order_by=order_by,
            session_type=session_type_to_proto(DomainSessionType(session_type))
            if session_type is not None
            else sessions_pb2.SESSION_TYPE_UNSPECIFIED,
            user_id=user_id or "",
            agent_id=agent_id or "",
            team_id=team_id or "",
            workflow_id=workflow_id or "",
            session_name=session_name or "",
        )

        def read(response: Any) -> Any:
            return (session_from_proto(s) for s in response.sessions)

        return await self._page(
            "sessions", "ListSessions", request, read, page, page_token, headers, auth_token
        )

    async def get_session(
        self,
        session_id: str,
        session_type: SessionType | str | None = None,
        *,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """One session. With ``session_type``, a session of another type is NotFoundError."""
        from agentos.session import SessionType as DomainSessionType
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto

        no_db_selector(db_id)
        request = sessions_pb2.GetSessionRequest(session_id=session_id)
        response = await self._call("sessions", "GetSession", request, headers, auth_token)
        session = session_from_proto(response.session)
        if session_type is not None and session.session_type != DomainSessionType(session_type):
            raise NotFoundError(
                f"session {session_id!r} is a {session.session_type} session, not a {session_type} session",
                reason="SESSION_NOT_FOUND",
                metadata={"session_id": session_id},
                base_url=self.base_url,
            )
        return session

    async def update_session(
        self,
        session_id: str,
        *,
        session_name: str | None = None,
        session_state: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """Change a session's name, state and/or metadata (only the arguments given)."""
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto

        changes = {"session_name": session_name, "session_state": session_state, "metadata": metadata}
        mask = update_mask("update_session", changes)
        session = sessions_pb2.Session(session_id=session_id, session_name=session_name or "")
        fill_struct(session, "session_state", session_state)
        fill_struct(session, "metadata", metadata)
        request = sessions_pb2.UpdateSessionRequest(session=session, update_mask=mask)
        response = await self._call("sessions", "UpdateSession", request, headers, auth_token)
        return session_from_proto(response.session)

    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """Rename a session."""
        return await self.update_session(
            session_id, session_name=session_name, headers=headers, auth_token=auth_token
        )

    async def delete_session(
        self,
        session_id: str,
        *,
        allow_missing: bool = False,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> None:
        """Delete a session and its runs (NotFoundError when missing, unless ``allow_missing``)."""
        from agentos.v1 import sessions_pb2

        no_db_selector(db_id)
        request = sessions_pb2.DeleteSessionRequest(session_id=session_id, allow_missing=allow_missing)
        await self._call("sessions", "DeleteSession", request, headers, auth_token)

    async def delete_sessions(
        self, session_ids: Sequence[str], *, headers: Headers | None = None, auth_token: str | None = None
    ) -> int:
        """Delete several sessions; returns how many existed."""
        from agentos.v1 import sessions_pb2

        request = sessions_pb2.BatchDeleteSessionsRequest(session_ids=list(session_ids))
        response = await self._call("sessions", "BatchDeleteSessions", request, headers, auth_token)
        return int(response.deleted_count)

    # -- knowledge (contract messages; the server may answer UNIMPLEMENTED) -------------------------
