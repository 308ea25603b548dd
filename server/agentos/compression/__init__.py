"""Context compression: ``CompressionManager`` rewrites bulky tool results into short stand-ins
(``Message.compressed_content``) that providers send in place of the originals."""

from agentos.compression._manager import (
    DEFAULT_INSTRUCTIONS,
    DEFAULT_TOOL_RESULTS_LIMIT,
    CompressionManager,
)
from agentos.compression._tokens import estimate_tokens

__all__ = [
    "DEFAULT_INSTRUCTIONS",
    "DEFAULT_TOOL_RESULTS_LIMIT",
    "CompressionManager",
    "estimate_tokens",
]
