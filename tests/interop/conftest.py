"""Interop tests: non-Python clients (Node.js, buf curl) against a real AgentOS server."""

from agentos_server import start_os
from node_setup import node_binary

__all__ = ["node_binary", "start_os"]
