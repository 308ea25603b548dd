"""The run service's registration hook, found by ``_services.builtin_services``.

The service itself is the ``agentos.os.runs`` package (manager, event log, servicer); this module
only exposes its ``register_run_service`` under the name the service list looks for.
"""

from agentos.os.runs import register_run_service

__all__ = ["register_run_service"]
