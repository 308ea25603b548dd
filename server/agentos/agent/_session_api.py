"""The Agent's session methods (Agno's names), async with sync twins.

They read and write the Agent's ``db`` directly; the sync twins drive the async methods like
``Agent.run`` does (see ``_sync``). ``session_id=None`` means the Agent's own ``session_id``
(there is no "last used session" on the Agent: that would be per-run state on a shared object).

Without a db nothing is stored: the readers return None or empty values, the writers raise.
None of these methods filter by user: they are the application's own view of its storage; the
runtime checks a caller's ownership before it calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from agentos.agent import _sync
from agentos.agent._session import deep_merge, run_from_record, stored_state
from agentos.agent._session_cache import SessionCache
from agentos.models import Message, Metrics
from agentos.run import RunOutput, RunStatus
from agentos.run._serialize import to_jsonable
from agentos.session import AgentSession, Session, SessionSummary
from agentos.session._messages import chat_history, session_messages

if TYPE_CHECKING:
    from agentos.memory import UserMemory

_T = TypeVar("_T")

_NAME_PROMPT = (
    "You name conversations. Reply with a short title for the conversation below: at most five "
    "words, no quotes, no punctuation at the end."
)
_NAME_MAX_CHARS = 60


class SessionMethods:
    """Mixed into ``Agent``; relies on its ``db``, ``session_id``, ``user_id``, ``name``, ``id``."""

    if not TYPE_CHECKING:  # a slotted base keeps Agent slotted; mypy sees the attributes below
        __slots__ = ()

    db: Any
    session_id: str | None
    user_id: str | None
    name: str | None
    cache_session: bool
    _session_cache: SessionCache | None

    if TYPE_CHECKING:

        @property
        def id(self) -> str: ...

        def _main_model(self) -> Any: ...

    # Plumbing ----------------------------------------------------------------------------------
    def _cache(self) -> SessionCache:
        """This Agent's session cache (``cache_session``), created on first use."""
        cache = self._session_cache
        if cache is None:
            cache = self._session_cache = SessionCache()
        return cache

    def _forget_session(self, session_id: str) -> None:
        if self._session_cache is not None:
            self._session_cache.drop(session_id)

    def _sid(self, session_id: str | None) -> str:
        sid = session_id or self.session_id
        if not sid:
            raise ValueError("no session_id given and the agent has none: pass session_id=...")
        return sid

    def _require_db(self, method: str) -> Any:
        if self.db is None:
            raise ValueError(f"Agent.{method}() needs storage: create the agent with db=...")
        return self.db

    @staticmethod
    def _blocking(method: str, factory: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
        _sync.ensure_no_running_loop(method)
        return _sync.run_sync(factory())

    async def _runs(
        self, session_id: str, *, limit: int | None = None, statuses: Sequence[str] | None = None
    ) -> list[RunOutput]:
        records = await self.db.get_runs(session_id, limit=limit, statuses=statuses, root_only=True)
        return [run_from_record(self, r) for r in records]  # type: ignore[arg-type]

    # Sessions ----------------------------------------------------------------------------------
    async def aget_session(self, session_id: str | None = None) -> Session | None:
        """The stored session with its runs loaded into ``session.runs`` (every root run: this
        reads the whole session, unlike a run, which reads only the history it needs)."""
        if self.db is None:
            return None
        sid = self._sid(session_id)
        session: Session | None = await self.db.get_session(sid)
        if session is not None:
            session.runs = list(await self._runs(sid))
        return session

    def get_session(self, session_id: str | None = None) -> Session | None:
        return self._blocking("get_session", lambda: self.aget_session(session_id))

    async def asave_session(self, session: Session) -> None:
        """Store the session row (its runs are stored by the runs themselves)."""
        db = self._require_db("save_session")
        self._forget_session(session.session_id)
        await db.upsert_session(session)

    def save_session(self, session: Session) -> None:
        self._blocking("save_session", lambda: self.asave_session(session))

    async def adelete_session(self, session_id: str) -> bool:
        """Delete the session with its runs; False when there was none."""
        db = self._require_db("delete_session")
        self._forget_session(session_id)
        deleted: bool = await db.delete_session(session_id)
        return deleted

    def delete_session(self, session_id: str) -> bool:
        return self._blocking("delete_session", lambda: self.adelete_session(session_id))

    async def _load_or_new(self, session_id: str) -> Session:
        session: Session | None = await self.db.get_session(session_id)
        if session is None:
            session = AgentSession(
                session_id=session_id, agent_id=self.id, user_id=self.user_id, session_data={}
            )
        return session

    async def _store_session(self, session: Session) -> Session:
        self._forget_session(session.session_id)
        stored: Session = await self.db.upsert_session(session)
        return stored

    async def arename(self, name: str, session_id: str | None = None) -> None:
        """Rename the agent and record the new name in the session's ``agent_data``."""
        self._require_db("rename")
        sid = self._sid(session_id)
        self.name = name
        session = await self._load_or_new(sid)
        if isinstance(session, AgentSession):
            session.agent_data = {**(session.agent_data or {}), "agent_id": self.id, "name": name}
        await self._store_session(session)

    def rename(self, name: str, session_id: str | None = None) -> None:
        self._blocking("rename", lambda: self.arename(name, session_id))

    async def aget_session_name(self, session_id: str | None = None) -> str | None:
        if self.db is None:
            return None
        session = await self.db.get_session(self._sid(session_id))
        if session is None:
            raise ValueError(f"session {self._sid(session_id)!r} not found")
        name: str | None = session.session_name
        return name

    def get_session_name(self, session_id: str | None = None) -> str | None:
        return self._blocking("get_session_name", lambda: self.aget_session_name(session_id))

    async def aset_session_name(
        self, session_id: str | None = None, autogenerate: bool = False, session_name: str | None = None
    ) -> Session:
        """Name the session: ``session_name``, or with ``autogenerate`` a short title the model
        writes from the session's first exchange."""
        db = self._require_db("set_session_name")
        sid = self._sid(session_id)
        if session_name is None and not autogenerate:
            raise ValueError("pass session_name=... or autogenerate=True")
        if session_name is None:
            session_name = await self._generate_session_name(sid)
        self._forget_session(sid)
        renamed: Session | None = await db.rename_session(sid, session_name)
        if renamed is None:
            raise ValueError(f"session {sid!r} not found")
        return renamed

    def set_session_name(
        self, session_id: str | None = None, autogenerate: bool = False, session_name: str | None = None
    ) -> Session:
        return self._blocking(
            "set_session_name", lambda: self.aset_session_name(session_id, autogenerate, session_name)
        )

    async def _generate_session_name(self, session_id: str) -> str:
        page = await self.db.list_runs(session_id=session_id, root_only=True, descending=False, limit=2)
        runs = [run_from_record(self, r) for r in page.items]  # type: ignore[arg-type]
        lines = [f"{m.role}: {m.content_text()}" for m in chat_history(runs)[:4]]
        if not lines:
            raise ValueError(f"session {session_id!r} has no conversation to name yet")
        model = self._main_model()
        reply = await model.ainvoke(
            [Message(role="system", content=_NAME_PROMPT), Message(role="user", content="\n".join(lines))]
        )
        name = " ".join((reply.content or "").split()).strip().strip("\"'").rstrip(".")
        return name[:_NAME_MAX_CHARS] or "Untitled conversation"

    async def aget_session_summary(self, session_id: str | None = None) -> SessionSummary | None:
        if self.db is None:
            return None
        session = await self.db.get_session(self._sid(session_id))
        summary = getattr(session, "summary", None)
        return summary if isinstance(summary, SessionSummary) else None

    def get_session_summary(self, session_id: str | None = None) -> SessionSummary | None:
        return self._blocking("get_session_summary", lambda: self.aget_session_summary(session_id))

    async def aget_session_metrics(self, session_id: str | None = None) -> Metrics | None:
        """Totals of the session's finished runs, read from the session row (one row, however
        long the session)."""
        if self.db is None:
            return None
        session = await self.db.get_session(self._sid(session_id))
        return session.session_metrics if session is not None else None

    def get_session_metrics(self, session_id: str | None = None) -> Metrics | None:
        return self._blocking("get_session_metrics", lambda: self.aget_session_metrics(session_id))

    # State ---------------------------------------------------------------------------------------
    async def aget_session_state(self, session_id: str | None = None) -> dict[str, Any]:
        """The stored session_state ({} when the session or its state does not exist yet)."""
        if self.db is None:
            return {}
        session = await self.db.get_session(self._sid(session_id))
        if session is None:
            return {}
        return stored_state(self, session) or {}  # type: ignore[arg-type]

    def get_session_state(self, session_id: str | None = None) -> dict[str, Any]:
        return self._blocking("get_session_state", lambda: self.aget_session_state(session_id))

    async def aupdate_session_state(
        self, session_state_updates: dict[str, Any], session_id: str | None = None
    ) -> dict[str, Any]:
        """Merge ``session_state_updates`` into the stored state and return the updated state.

        Agno documents this return value both as a confirmation string and as the updated dict;
        the dict is returned because it is what callers can use (a message can be made from it,
        not the other way round). A session that does not exist yet is created.
        """
        self._require_db("update_session_state")
        session = await self._load_or_new(self._sid(session_id))
        state = deep_merge(dict(stored_state(self, session) or {}), session_state_updates)  # type: ignore[arg-type]
        session.session_data = {**(session.session_data or {}), "session_state": to_jsonable(state)}
        stored = await self._store_session(session)
        return stored_state(self, stored) or {}  # type: ignore[arg-type]

    def update_session_state(
        self, session_state_updates: dict[str, Any], session_id: str | None = None
    ) -> dict[str, Any]:
        return self._blocking(
            "update_session_state", lambda: self.aupdate_session_state(session_state_updates, session_id)
        )

    # Messages ------------------------------------------------------------------------------------
    async def aget_session_messages(
        self,
        session_id: str | None = None,
        last_n_runs: int | None = None,
        limit: int | None = None,
        skip_roles: Sequence[str] | None = None,
        skip_statuses: Sequence[RunStatus] | None = None,
        skip_history_messages: bool = True,
    ) -> list[Message]:
        """The session's messages (see ``agentos.session.AgentSession.get_messages``); only the
        newest ``last_n_runs`` runs are read from the database."""
        if self.db is None:
            return []
        skipped = {str(s) for s in skip_statuses or ()}
        statuses = [s.value for s in RunStatus if s.value not in skipped] if skipped else None
        runs = await self._runs(self._sid(session_id), limit=last_n_runs, statuses=statuses)
        return session_messages(
            runs, limit=limit, skip_roles=skip_roles, skip_history_messages=skip_history_messages
        )

    def get_session_messages(
        self,
        session_id: str | None = None,
        last_n_runs: int | None = None,
        limit: int | None = None,
        skip_roles: Sequence[str] | None = None,
        skip_statuses: Sequence[RunStatus] | None = None,
        skip_history_messages: bool = True,
    ) -> list[Message]:
        return self._blocking(
            "get_session_messages",
            lambda: self.aget_session_messages(
                session_id, last_n_runs, limit, skip_roles, skip_statuses, skip_history_messages
            ),
        )

    async def aget_chat_history(
        self, session_id: str | None = None, last_n_runs: int | None = None
    ) -> list[Message]:
        """User messages and the assistant's answers of the session's completed runs."""
        if self.db is None:
            return []
        runs = await self._runs(self._sid(session_id), limit=last_n_runs, statuses=[RunStatus.completed])
        return chat_history(runs)

    def get_chat_history(
        self, session_id: str | None = None, last_n_runs: int | None = None
    ) -> list[Message]:
        return self._blocking("get_chat_history", lambda: self.aget_chat_history(session_id, last_n_runs))

    # Runs ----------------------------------------------------------------------------------------
    async def aget_run_output(self, run_id: str, session_id: str | None = None) -> RunOutput | None:
        """A stored run; None when absent (or, with ``session_id``, in another session)."""
        if self.db is None:
            return None
        record = await self.db.get_run(run_id)
        if record is None or (session_id is not None and record.session_id != session_id):
            return None
        return run_from_record(self, record)  # type: ignore[arg-type]

    def get_run_output(self, run_id: str, session_id: str | None = None) -> RunOutput | None:
        return self._blocking("get_run_output", lambda: self.aget_run_output(run_id, session_id))

    async def aget_last_run_output(self, session_id: str | None = None) -> RunOutput | None:
        if self.db is None:
            return None
        runs = await self._runs(self._sid(session_id), limit=1)
        return runs[-1] if runs else None

    def get_last_run_output(self, session_id: str | None = None) -> RunOutput | None:
        return self._blocking("get_last_run_output", lambda: self.aget_last_run_output(session_id))

    # Memories ------------------------------------------------------------------------------------
    async def aget_user_memories(self, user_id: str | None = None) -> list[UserMemory] | None:
        """The user's memories, oldest first, once that user's pending memory updates are stored
        (None without a db). The memory manager's own db wins over the Agent's."""
        from agentos.agent import _memory
        from agentos.agent._agent import Agent

        assert isinstance(self, Agent)  # SessionMethods is a mixin of Agent only
        return await _memory.user_memories(self, user_id)

    def get_user_memories(self, user_id: str | None = None) -> list[UserMemory] | None:
        return self._blocking("get_user_memories", lambda: self.aget_user_memories(user_id))
