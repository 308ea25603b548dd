"""The condensed form of a long conversation, kept on the session, and the manager that writes it.

``SessionSummaryManager`` asks a model to fold the latest messages into the session's summary.
The Agent calls it after a run's answer is ready and before the turn is stored, so the new
summary is saved with the session row in the same transaction as the run.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from agentos.exceptions import ModelNotConfiguredError, ModelProviderError
from agentos.models import Message, Model
from agentos.session._fields import optional_str_list

logger = logging.getLogger("agentos.session")


@dataclass(slots=True)
class SessionSummary:
    """A summary a model wrote of the session so far, with the topics it covered.

    ``updated_at`` is a timezone-aware datetime when the summary was produced; it travels as an
    ISO-8601 string in ``to_dict`` so that the stored form is plain JSON.
    """

    summary: str
    topics: list[str] | None = None
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "topics": list(self.topics) if self.topics is not None else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionSummary:
        """Rebuild a summary; raises ``ValueError``/``TypeError`` on a malformed mapping."""
        summary = data.get("summary")
        if not isinstance(summary, str):
            raise TypeError(f"summary must be a string, got {type(summary).__name__}")
        updated_at = data.get("updated_at")
        parsed: datetime | None
        if updated_at is None:
            parsed = None
        elif isinstance(updated_at, datetime):
            parsed = updated_at
        elif isinstance(updated_at, str):
            parsed = datetime.fromisoformat(updated_at)
        else:
            raise TypeError(f"updated_at must be an ISO-8601 string, got {type(updated_at).__name__}")
        return cls(summary=summary, topics=optional_str_list(data.get("topics"), "topics"), updated_at=parsed)


# -- producing summaries ------------------------------------------------------------------------

_DEFAULT_PROMPT = (
    "You keep a running summary of a conversation between a user and an assistant. Write a "
    "concise summary that someone continuing the conversation could rely on: who the user is, "
    "what they want, what was asked, answered, decided or left open, and any facts or "
    "preferences they shared. Leave out pleasantries. When a previous summary is given, fold the "
    "new messages into it instead of starting over. Also list a few short topics (one to three "
    "words each) the conversation covered."
)

SUMMARY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "description": "The summary of the whole conversation so far."},
        "topics": {"type": "array", "items": {"type": "string"}, "description": "Short topics covered."},
    },
    "required": ["summary", "topics"],
    "additionalProperties": False,
}

_SPEAKERS = {"user": "User", "assistant": "Assistant"}


def _transcript(messages: Sequence[Message]) -> str:
    """The user and assistant turns as text (system prompts, tool traffic and messages replayed
    from history are left out: history is what the previous summary already covers)."""
    lines = []
    for message in messages:
        speaker = _SPEAKERS.get(message.role)
        if speaker is None or message.from_history:
            continue
        text = message.content_text().strip()
        if text:
            lines.append(f"{speaker}: {text}")
    return "\n".join(lines)


def _loaded_messages(session: Any) -> list[Message]:
    """The messages of the runs loaded on the session, oldest first."""
    out: list[Message] = []
    for run in getattr(session, "runs", None) or ():
        out.extend(getattr(run, "messages", None) or ())
    return out


@dataclass(eq=False)
class SessionSummaryManager:
    """Keeps ``session.summary`` up to date with a model.

    Summaries are incremental: the model gets the previous summary plus the new messages, so the
    cost of a turn does not grow with the length of the session (the runs need not be loaded).
    ``session_summary_prompt`` replaces the default instructions; ``summary_request_message`` is
    the user turn that asks for the summary. The answer is requested as ``{summary, topics}``
    (native structured output, else JSON mode, else instructions); a model that answers in prose
    still yields a summary, without topics.

    Agno's ``summaries_updated`` flag is not kept: it is per-run state on a shared object, and
    the Agent reports a new summary with the ``SessionSummaryCompleted`` event instead.
    """

    model: Model | str | None = None
    session_summary_prompt: str | None = None
    summary_request_message: str = "Provide the summary of the conversation."

    def with_defaults(self, *, model: Model | None = None) -> SessionSummaryManager:
        """This manager, or a copy using ``model`` when it has none (the manager may be shared)."""
        if self.model is None and model is not None:
            return dataclasses.replace(self, model=model)
        return self

    def _model(self) -> Model:
        model = self.model
        if isinstance(model, str):
            from agentos.models import get_model

            resolved = get_model(model)
            if not isinstance(resolved, Model):
                raise ModelNotConfiguredError(f"get_model({model!r}) did not return a Model")
            return resolved
        if model is None:
            raise ModelNotConfiguredError(
                "SessionSummaryManager has no model: pass model=<Model> (an Agent lends its own model)"
            )
        return model

    def build_messages(self, session: Any, messages: Sequence[Message] | None = None) -> list[Message] | None:
        """What the model is sent, or None when there is nothing new to summarize."""
        transcript = _transcript(_loaded_messages(session) if messages is None else messages)
        if not transcript:
            return None
        parts = [self.session_summary_prompt or _DEFAULT_PROMPT]
        previous = getattr(session, "summary", None)
        if isinstance(previous, SessionSummary) and previous.summary:
            parts.append(f"<previous_summary>\n{previous.summary}\n</previous_summary>")
        parts.append(f"<conversation>\n{transcript}\n</conversation>")
        return [
            Message(role="system", content="\n\n".join(parts)),
            Message(role="user", content=self.summary_request_message),
        ]

    async def acreate_session_summary(
        self, session: Any, messages: Sequence[Message] | None = None
    ) -> SessionSummary | None:
        """Summarize ``messages`` (default: the messages of the runs loaded on ``session``) into
        the session's summary; sets ``session.summary`` and returns it.

        Returns the unchanged summary when there is nothing new, and None when the model fails or
        answers nothing (as Agno documents): a summary is an aid, and a failed one must not fail
        the conversation. The failure is logged.
        """
        request = self.build_messages(session, messages)
        if request is None:
            previous = getattr(session, "summary", None)
            return previous if isinstance(previous, SessionSummary) else None
        from agentos.memory._structured import ask_json

        try:
            parsed, text = await ask_json(self._model(), request, SUMMARY_SCHEMA, "session_summary")
        except ModelProviderError as exc:
            logger.warning("session summary of %s failed: %s", getattr(session, "session_id", "?"), exc)
            return None
        summary = _from_reply(parsed, text)
        if summary is None:
            logger.warning(
                "session summary of %s: the model answered nothing", getattr(session, "session_id", "?")
            )
            return None
        session.summary = summary
        return summary

    def create_session_summary(
        self, session: Any, messages: Sequence[Message] | None = None
    ) -> SessionSummary | None:
        from agentos.memory._sync import call_sync

        return call_sync(
            "SessionSummaryManager",
            "create_session_summary",
            lambda: self.acreate_session_summary(session, messages),
        )


def _from_reply(parsed: dict[str, Any] | None, text: str) -> SessionSummary | None:
    now = datetime.now(UTC)
    if parsed is not None and isinstance(parsed.get("summary"), str) and parsed["summary"].strip():
        raw_topics = parsed.get("topics")
        topics = (
            [t.strip() for t in raw_topics if isinstance(t, str) and t.strip()]
            if isinstance(raw_topics, list)
            else None
        )
        return SessionSummary(summary=parsed["summary"].strip(), topics=topics or None, updated_at=now)
    if text.strip():
        return SessionSummary(summary=text.strip(), topics=None, updated_at=now)
    return None
