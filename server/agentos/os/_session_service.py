"""``agentos.v1.SessionService`` over the storage layer.

Ownership: every read, update and delete is filtered by the user the call acts for
(:func:`acting_user`): a non-admin caller's own user, or, for admins and servers without
authorization, the user the request names (none: every user). Another user's session is
NOT_FOUND, never PERMISSION_DENIED, so its existence does not leak.

Creating with a client-chosen ``session_id`` that is already taken is ALREADY_EXISTS whoever
owns it (the id cannot be given out twice; the error says nothing about the owner).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from typing import Any

import grpc
from agentos.db import BaseDb, Page
from agentos.models import Model
from agentos.os._caller import acting_user
from agentos.os._errors import Reason, already_exists, invalid_argument, not_found, rpc_method
from agentos.os._runtime import RuntimeState
from agentos.os._service_support import (
    batch_ids,
    check_ids,
    fetch_page,
    idempotent_create,
    listing_window,
    required,
    storage_order,
)
from agentos.os._services import ServiceRegistrar
from agentos.os._validation import require_id, update_paths
from agentos.session import AgentSession, Session, SessionType, TeamSession, WorkflowSession
from agentos.v1 import sessions_pb2, sessions_pb2_grpc
from agentos.wire import from_struct, session_from_proto, session_summary_from_proto, session_to_proto

UPDATABLE = ("session_name", "session_state", "metadata", "summary")

_OWNER_FIELD = {
    SessionType.AGENT: "agent_id",
    SessionType.TEAM: "team_id",
    SessionType.WORKFLOW: "workflow_id",
}


async def _run_count(db: BaseDb, session_id: str) -> int:
    page = await db.list_runs(session_id=session_id, root_only=True, limit=0)
    return page.total


class SessionService(sessions_pb2_grpc.SessionServiceServicer):
    """Sessions of the AgentOS database."""

    def __init__(self, runtime: RuntimeState) -> None:
        self._runtime = runtime

    # -- create --------------------------------------------------------------------------------

    @rpc_method
    async def CreateSession(
        self, request: sessions_pb2.CreateSessionRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> sessions_pb2.CreateSessionResponse:
        db = self._runtime.require_db()
        session = self._new_session(required(request, "session"))
        return await idempotent_create(
            self._runtime, "CreateSession", request, lambda: self._create(db, session)
        )

    def _new_session(self, pb: sessions_pb2.Session) -> Session:
        if pb.session_type == sessions_pb2.SESSION_TYPE_UNSPECIFIED and not (
            pb.agent_id or pb.team_id or pb.workflow_id
        ):
            raise invalid_argument(
                "session.session_type", "is required (or set agent_id, team_id or workflow_id)"
            )
        check_ids(pb, ("session_id", "agent_id", "team_id", "workflow_id", "user_id"), prefix="session.")
        session = session_from_proto(pb)
        owner_field = _OWNER_FIELD[session.session_type]
        owner_id = getattr(pb, owner_field)
        if not owner_id:
            raise invalid_argument(
                f"session.{owner_field}", f"is required for a {session.session_type.value} session"
            )
        self._check_owner(session.session_type, owner_id)
        session.session_id = pb.session_id or str(uuid.uuid4())
        session.user_id = acting_user(pb.user_id, for_creation=True)
        # Output-only fields are ignored on input (AIP-203).
        session.created_at = None
        session.updated_at = None
        data = dict(session.session_data or {})
        data.pop("session_metrics", None)
        session.session_data = data or None
        if isinstance(session, AgentSession):
            session.agent_data = self._agent_data(owner_id)
        elif isinstance(session, TeamSession):
            session.team_data = None
        elif isinstance(session, WorkflowSession):
            session.workflow_data = None
        return session

    def _check_owner(self, session_type: SessionType, owner_id: str) -> None:
        registry = self._runtime.registry
        if session_type is SessionType.AGENT and owner_id not in registry.agents:
            raise not_found("agent", owner_id, reason=Reason.ERROR_REASON_AGENT_NOT_FOUND)
        if session_type is SessionType.TEAM and owner_id not in registry.teams:
            raise not_found("team", owner_id, reason=Reason.ERROR_REASON_TEAM_NOT_FOUND)
        if session_type is SessionType.WORKFLOW and owner_id not in registry.workflows:
            raise not_found("workflow", owner_id, reason=Reason.ERROR_REASON_WORKFLOW_NOT_FOUND)

    def _agent_data(self, agent_id: str) -> dict[str, Any]:
        agent = self._runtime.registry.agents[agent_id]
        data: dict[str, Any] = {"agent_id": agent.id}
        if agent.name:
            data["name"] = agent.name
        if isinstance(agent.model, Model):
            data["model"] = agent.model.to_dict()
        elif isinstance(agent.model, str):
            data["model"] = agent.model
        return data

    async def _create(self, db: BaseDb, session: Session) -> sessions_pb2.CreateSessionResponse:
        existing = await db.get_session(session.session_id)
        if existing is not None:
            raise already_exists("session", session.session_id, reason=Reason.ERROR_REASON_ALREADY_EXISTS)
        stored = await db.upsert_session(session)
        return sessions_pb2.CreateSessionResponse(session=session_to_proto(stored))

    # -- read ----------------------------------------------------------------------------------

    async def _load(self, db: BaseDb, session_id: str) -> Session:
        session = await db.get_session(session_id, user_id=acting_user(""))
        if session is None:
            raise not_found("session", session_id, reason=Reason.ERROR_REASON_SESSION_NOT_FOUND)
        return session

    @rpc_method
    async def GetSession(
        self, request: sessions_pb2.GetSessionRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> sessions_pb2.GetSessionResponse:
        db = self._runtime.require_db()
        session_id = require_id(request.session_id, "session_id")
        session = await self._load(db, session_id)
        count = await _run_count(db, session_id)
        return sessions_pb2.GetSessionResponse(session=session_to_proto(session, run_count=count))

    @rpc_method
    async def ListSessions(
        self, request: sessions_pb2.ListSessionsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> sessions_pb2.ListSessionsResponse:
        db = self._runtime.require_db()
        size, order = listing_window(request)
        check_ids(request, ("user_id", "agent_id", "team_id", "workflow_id"))
        if request.session_type not in sessions_pb2.SessionType.values():
            raise invalid_argument("session_type", f"unknown value {request.session_type}")
        user_id = acting_user(request.user_id)
        session_type = {
            sessions_pb2.SESSION_TYPE_AGENT: SessionType.AGENT,
            sessions_pb2.SESSION_TYPE_TEAM: SessionType.TEAM,
            sessions_pb2.SESSION_TYPE_WORKFLOW: SessionType.WORKFLOW,
        }.get(request.session_type)
        query = [
            "ListSessions",
            order.field,
            order.descending,
            request.session_type,
            user_id,
            request.agent_id,
            request.team_id,
            request.workflow_id,
            request.session_name,
        ]

        def fetch(inner: str | None) -> Awaitable[Page[Session]]:
            return db.get_sessions(
                session_type=session_type,
                user_id=user_id,
                agent_id=request.agent_id or None,
                team_id=request.team_id or None,
                workflow_id=request.workflow_id or None,
                session_name=request.session_name or None,
                order_by=storage_order(order),
                descending=order.descending,
                limit=size,
                page_token=inner,
            )

        page, next_token = await fetch_page(request.page_token, query, fetch)
        counts = await asyncio.gather(*(_run_count(db, s.session_id) for s in page.items))
        return sessions_pb2.ListSessionsResponse(
            sessions=[session_to_proto(s, run_count=c) for s, c in zip(page.items, counts, strict=True)],
            next_page_token=next_token,
            total_size=page.total,
        )

    # -- update --------------------------------------------------------------------------------

    @rpc_method
    async def UpdateSession(
        self, request: sessions_pb2.UpdateSessionRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> sessions_pb2.UpdateSessionResponse:
        db = self._runtime.require_db()
        pb = required(request, "session")
        session_id = require_id(pb.session_id, "session.session_id")
        paths = update_paths(list(request.update_mask.paths), allowed=UPDATABLE)
        session = await self._load(db, session_id)
        data = dict(session.session_data or {})
        if "session_name" in paths:
            if pb.session_name:
                data["session_name"] = pb.session_name
            else:
                data.pop("session_name", None)
        if "session_state" in paths:
            if pb.HasField("session_state"):
                data["session_state"] = from_struct(pb.session_state)
            else:
                data.pop("session_state", None)
        session.session_data = data or None
        if "metadata" in paths:
            session.metadata = from_struct(pb.metadata) if pb.HasField("metadata") else None
        if "summary" in paths and not isinstance(session, WorkflowSession):
            session.summary = session_summary_from_proto(pb.summary) if pb.HasField("summary") else None
        stored = await db.upsert_session(session)
        count = await _run_count(db, session_id)
        return sessions_pb2.UpdateSessionResponse(session=session_to_proto(stored, run_count=count))

    # -- delete --------------------------------------------------------------------------------

    @rpc_method
    async def DeleteSession(
        self, request: sessions_pb2.DeleteSessionRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> sessions_pb2.DeleteSessionResponse:
        db = self._runtime.require_db()
        session_id = require_id(request.session_id, "session_id")
        deleted = await db.delete_session(session_id, user_id=acting_user(""))
        if not deleted and not request.allow_missing:
            raise not_found("session", session_id, reason=Reason.ERROR_REASON_SESSION_NOT_FOUND)
        return sessions_pb2.DeleteSessionResponse()

    @rpc_method
    async def BatchDeleteSessions(
        self, request: sessions_pb2.BatchDeleteSessionsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> sessions_pb2.BatchDeleteSessionsResponse:
        db = self._runtime.require_db()
        ids = batch_ids(request.session_ids, "session_ids")
        if not ids:
            return sessions_pb2.BatchDeleteSessionsResponse(deleted_count=0)
        deleted = await db.delete_sessions(ids, user_id=acting_user(""))
        return sessions_pb2.BatchDeleteSessionsResponse(deleted_count=deleted)


def register_session_service(server: ServiceRegistrar, runtime: RuntimeState) -> None:
    sessions_pb2_grpc.add_SessionServiceServicer_to_server(SessionService(runtime), server)  # type: ignore[no-untyped-call]
