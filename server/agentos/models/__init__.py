"""Models: the provider-neutral interface, messages, metrics and tool-call records.

Providers live in submodules (``agentos.models.openai``, ``agentos.models.anthropic``,
``agentos.models.scripted``); ``get_model("provider:model_id")`` resolves model strings.
"""

from agentos.models._base import Model, ToolChoice
from agentos.models._message import Message, ToolCall
from agentos.models._metrics import Metrics
from agentos.models._registry import get_model, model_providers, register_model_provider
from agentos.models._response import ModelResponse, ResponseFormat, ToolDefinition
from agentos.models._tool_execution import ToolExecution, UserInputField
from agentos.models._usage import record_model_usage

__all__ = [
    "Message",
    "Metrics",
    "Model",
    "ModelResponse",
    "ResponseFormat",
    "ToolCall",
    "ToolChoice",
    "ToolDefinition",
    "ToolExecution",
    "UserInputField",
    "get_model",
    "model_providers",
    "record_model_usage",
    "register_model_provider",
]
