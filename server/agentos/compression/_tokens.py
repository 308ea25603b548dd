"""A provider-independent estimate of how many tokens a request will use.

Exact counts need each provider's tokenizer (and a network call for some). The compression
threshold only needs to know when a conversation is getting large, so a stable estimate is
enough: about four characters per token for text and JSON, plus a small overhead per message
for the role and separators that every chat format adds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from agentos.models import Message, ToolDefinition

CHARS_PER_TOKEN = 4
_PER_MESSAGE_OVERHEAD = 4


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)


def estimate_message_tokens(message: Message) -> int:
    """Tokens of one message as the model will see it (the compressed stand-in when set)."""
    chars = len(_text_of(message.content_for_model()))
    for call in message.tool_calls:
        chars += len(call.name) + len(call.arguments)
    return chars // CHARS_PER_TOKEN + _PER_MESSAGE_OVERHEAD


def estimate_tokens(messages: Sequence[Message], tools: Sequence[Any] | None = None) -> int:
    """Tokens of a request: its messages plus the JSON schemas of the tools offered."""
    total = sum(estimate_message_tokens(m) for m in messages)
    for tool in tools or ():
        if isinstance(tool, ToolDefinition):
            spec: Any = {"name": tool.name, "description": tool.description, "parameters": tool.parameters}
        elif hasattr(tool, "to_definition"):
            definition = tool.to_definition()
            spec = {
                "name": definition.name,
                "description": definition.description,
                "parameters": definition.parameters,
            }
        else:
            spec = tool
        total += len(_text_of(spec)) // CHARS_PER_TOKEN
    return total
