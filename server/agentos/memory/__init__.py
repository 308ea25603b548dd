"""Long-term user memories: ``UserMemory`` and the ``MemoryManager`` that curates them.

The database package imports ``UserMemory`` from here, so nothing in this package imports the
database at module level (only for typing): either package can be imported first.
"""

from agentos.memory._format import AGENTIC_MEMORY_TOOL, memories_for_context
from agentos.memory._manager import DEFAULT_USER_ID, MemoryManager, RetrievalMethod
from agentos.memory._tools import MemoryChanges
from agentos.memory._user_memory import UserMemory

__all__ = [
    "AGENTIC_MEMORY_TOOL",
    "DEFAULT_USER_ID",
    "MemoryChanges",
    "MemoryManager",
    "RetrievalMethod",
    "UserMemory",
    "memories_for_context",
]
