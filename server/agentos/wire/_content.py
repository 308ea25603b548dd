"""Run content, citations, knowledge references and reasoning steps <-> protobuf.

Content travels as a ``Value`` next to a ``content_type`` string: ``"str"`` for text, otherwise
the name of the output schema (or of the content's class). Structured content (pydantic models,
dataclasses) is sent as its JSON form. Coming back, a client that passes its output schema gets
an instance of it when ``content_type`` names it; the engine's own reasoning types are rebuilt
the same way; anything else stays plain JSON data. A validation failure keeps the plain data
rather than raising, because the content is still worth returning.

``citations`` and ``references`` are untyped in the domain (Agno's ``Citations`` and
``MessageReferences`` shapes, as dicts). Their canonical dict forms round-trip exactly:
``{"raw": ..., "urls": [{"url", "title"}], "documents": [{"document_title", "cited_text",
"file_name"}]}`` and ``{"query", "references": [dict...], "time": seconds}``. Any other value of
``citations`` travels as ``raw`` and comes back as itself; a reference that is not a dict is
sent as ``{"references": [{"value": item}]}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agentos.reasoning import NextAction, ReasoningStep, ReasoningSteps
from agentos.v1 import common_pb2
from agentos.wire._values import (
    fill_struct,
    fill_value,
    from_struct,
    from_value,
    jsonable,
    seconds_from_duration,
    set_duration,
)
from google.protobuf import struct_pb2
from pydantic import BaseModel, ValidationError

# Content classes every client can rebuild without being told about them.
_KNOWN_CONTENT_CLASSES: dict[str, type[BaseModel]] = {
    "ReasoningStep": ReasoningStep,
    "ReasoningSteps": ReasoningSteps,
}

OutputSchema = type[BaseModel] | Mapping[str, Any] | None


def fill_content(target: struct_pb2.Value, content: Any) -> None:
    """Write run content (text fast path; anything else as its JSON form)."""
    if type(content) is str:
        target.string_value = content
    else:
        fill_value(target, content)


def content_from_value(value: struct_pb2.Value, content_type: str, output_schema: OutputSchema = None) -> Any:
    if value.WhichOneof("kind") == "string_value":
        return value.string_value
    data = from_value(value)
    if data is None or content_type == "str":
        return data
    cls: type[BaseModel] | None = None
    if isinstance(output_schema, type) and output_schema.__name__ == content_type:
        cls = output_schema
    else:
        cls = _KNOWN_CONTENT_CLASSES.get(content_type)
    if cls is None:
        return data
    try:
        return cls.model_validate(data)
    except ValidationError:
        return data


# Citations -----------------------------------------------------------------------------------

_CITATION_KEYS = frozenset({"raw", "urls", "documents"})


def fill_citations(target: common_pb2.Citations, citations: Any) -> None:
    target.SetInParent()
    data = jsonable(citations)
    if (
        isinstance(data, dict)
        and data
        and set(data) <= _CITATION_KEYS
        and all(isinstance(u, dict) for u in data.get("urls") or ())
        and all(isinstance(d, dict) for d in data.get("documents") or ())
    ):
        if data.get("raw") is not None:
            fill_value(target.raw, data["raw"])
        for url in data.get("urls") or ():
            target.urls.add(url=str(url.get("url") or ""), title=str(url.get("title") or ""))
        for doc in data.get("documents") or ():
            target.documents.add(
                document_title=str(doc.get("document_title") or ""),
                cited_text=str(doc.get("cited_text") or ""),
                file_name=str(doc.get("file_name") or ""),
            )
        return
    fill_value(target.raw, data)


def citations_from_proto(pb: common_pb2.Citations) -> Any:
    raw = from_value(pb.raw) if pb.HasField("raw") else None
    if not pb.urls and not pb.documents:
        return raw
    out: dict[str, Any] = {}
    if raw is not None:
        out["raw"] = raw
    if pb.urls:
        out["urls"] = [{"url": u.url or None, "title": u.title or None} for u in pb.urls]
    if pb.documents:
        out["documents"] = [
            {
                "document_title": d.document_title or None,
                "cited_text": d.cited_text or None,
                "file_name": d.file_name or None,
            }
            for d in pb.documents
        ]
    return out


# References ----------------------------------------------------------------------------------


def fill_references(target: Any, references: Sequence[Any] | None) -> None:
    for item in references or ():
        pb = target.add()
        data = jsonable(item)
        if not isinstance(data, dict):
            fill_struct(pb.references.add(), {"value": data})
            continue
        if data.get("query") is not None:
            pb.query = str(data["query"])
        docs = data.get("references")
        for doc in docs if isinstance(docs, list) else ():
            fill_struct(pb.references.add(), doc if isinstance(doc, dict) else {"value": doc})
        seconds = data.get("time")
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            set_duration(pb.time, seconds)


def references_from_proto(repeated: Sequence[common_pb2.MessageReferences]) -> list[Any] | None:
    if not repeated:
        return None
    return [
        {
            "query": pb.query or None,
            "references": [from_struct(doc) for doc in pb.references],
            "time": seconds_from_duration(pb.time) if pb.HasField("time") else None,
        }
        for pb in repeated
    ]


# Reasoning steps -----------------------------------------------------------------------------

_NEXT_ACTION_TO_PB = {
    NextAction.CONTINUE: common_pb2.REASONING_NEXT_ACTION_CONTINUE,
    NextAction.VALIDATE: common_pb2.REASONING_NEXT_ACTION_VALIDATE,
    NextAction.FINAL_ANSWER: common_pb2.REASONING_NEXT_ACTION_FINAL_ANSWER,
    NextAction.RESET: common_pb2.REASONING_NEXT_ACTION_RESET,
}
_NEXT_ACTION_VALUES = frozenset(action.value for action in NextAction)
_NEXT_ACTION_FROM_PB = {pb: action for action, pb in _NEXT_ACTION_TO_PB.items()}


def fill_reasoning_steps(target: Any, steps: Sequence[Any] | None) -> None:
    """Reasoning steps (``ReasoningStep`` models or dicts of the same shape)."""
    for step in steps or ():
        data = jsonable(step)
        if not isinstance(data, dict):
            data = {"reasoning": str(data)}
        pb = target.add()
        for name in ("title", "action", "result", "reasoning"):
            text = data.get(name)
            if text:
                setattr(pb, name, str(text))
        action = data.get("next_action")
        if action in _NEXT_ACTION_VALUES:  # an unknown action is left unspecified
            pb.next_action = _NEXT_ACTION_TO_PB[NextAction(action)]
        confidence = data.get("confidence")
        if isinstance(confidence, int | float) and not isinstance(confidence, bool):
            pb.confidence = float(confidence)


def reasoning_steps_from_proto(repeated: Sequence[common_pb2.ReasoningStepDetail]) -> list[Any] | None:
    """``ReasoningStep`` models; ``confidence`` has presence, so 0.0 and "none given" stay apart."""
    if not repeated:
        return None
    return [
        ReasoningStep(
            title=pb.title or None,
            action=pb.action or None,
            result=pb.result or None,
            reasoning=pb.reasoning or None,
            next_action=_NEXT_ACTION_FROM_PB.get(pb.next_action),
            confidence=pb.confidence if pb.HasField("confidence") else None,
        )
        for pb in repeated
    ]
