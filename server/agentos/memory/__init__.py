"""Long-term user memories. ``MemoryManager`` (creating memories with a model) comes later."""

from agentos.memory._user_memory import UserMemory

__all__ = ["UserMemory"]
