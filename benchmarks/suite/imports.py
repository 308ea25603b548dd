"""Workload 7: cold import time of a module, in fresh interpreters (standard library only).

Each sample is a new ``python`` process that times ``import <module>`` with ``perf_counter``
around the import statement alone (interpreter start-up excluded; ``site`` and the editable
install's path hooks are in place as for any user). The bytecode cache is warm: one untimed
import runs first, so the figure is what every process start pays, not a one-off compile.
"""

from __future__ import annotations

import statistics
import subprocess

_PROBE = (
    "import importlib.util, sys, time\n"
    "name = sys.argv[1]\n"
    "try:\n"
    "    spec = importlib.util.find_spec(name)\n"
    "except ModuleNotFoundError:\n"
    "    spec = None\n"
    "if spec is None or spec.origin in (None, 'namespace'):\n"
    "    print('MISSING'); raise SystemExit(0)\n"
    "start = time.perf_counter()\n"
    "__import__(name)\n"
    "print(time.perf_counter() - start)\n"
)


def _once(python: str, module: str, env: dict[str, str] | None) -> str:
    done = subprocess.run(
        [python, "-c", _PROBE, module], capture_output=True, text=True, check=False, env=env
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["(no output)"]
        return "ERROR " + lines[-1]
    return done.stdout.strip().splitlines()[-1]


def import_ms(python: str, module: str, samples: int, env: dict[str, str] | None = None) -> dict[str, object]:
    """Median milliseconds to import ``module``; ``{"not_run": reason}`` when it cannot."""
    first = _once(python, module, env)  # also fills the bytecode cache
    if first == "MISSING":
        return {"not_run": f"{module} does not exist yet (no module, or an empty namespace folder)"}
    if first.startswith("ERROR"):
        return {"not_run": f"import {module} fails: {first[6:]}"}
    times = [float(_once(python, module, env)) * 1e3 for _ in range(samples)]
    return {"import_ms": statistics.median(times), "samples": samples}
