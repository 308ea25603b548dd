"""Integration tests start real AgentOS servers on 127.0.0.1 (see tests/support/agentos_server.py)."""

from agentos_server import start_os

__all__ = ["start_os"]
