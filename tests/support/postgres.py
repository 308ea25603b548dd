"""Throwaway PostgreSQL servers for tests: 127.0.0.1, a free port, a temporary data directory.

Binaries come from the ``pgserver`` wheel (a dev dependency that bundles PostgreSQL), else
from ``$AGENTOS_PG_BIN``, Debian's ``/usr/lib/postgresql/*/bin`` or ``PATH``. PostgreSQL refuses
to run as root, so when the tests run as root the server runs as the ``postgres`` system user
(or ``nobody``) and owns its temporary directory.

``initdb`` runs once per test session into a template directory; each server copies it,
so a second server (e.g. one a test stops on purpose) starts in well under a second.

The session fixture ``postgres_url`` fails loudly when no server can be started; set
``AGENTOS_SKIP_POSTGRES=1`` to skip the PostgreSQL tests instead.
"""

from __future__ import annotations

import atexit
import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SKIP_ENV = "AGENTOS_SKIP_POSTGRES"
_SUPERUSER = "postgres"
_template: Path | None = None


def find_bin_dir() -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    candidates: list[Path] = []
    if os.environ.get("AGENTOS_PG_BIN"):
        candidates.append(Path(os.environ["AGENTOS_PG_BIN"]))
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin is not None:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin")
    candidates.extend(Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise RuntimeError(
        "no PostgreSQL binaries found: install the dev extra (pip install -e '.[dev]', which brings "
        f"pgserver), set AGENTOS_PG_BIN, or set {SKIP_ENV}=1 to skip the PostgreSQL tests"
    )


def _run_as() -> tuple[int, int] | None:
    """(uid, gid) to run PostgreSQL as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


def _make_readable(bin_dir: Path) -> None:
    """Root-installed wheels may leave the bundled binaries unreadable for other users."""
    for folder in (bin_dir, bin_dir.parent / "lib", bin_dir.parent / "share"):
        if not folder.exists():
            continue
        for path in [folder, *folder.rglob("*")]:
            mode = path.stat().st_mode
            wanted = mode | 0o044 | (0o011 if path.is_dir() or mode & 0o100 else 0)
            if wanted != mode:
                path.chmod(wanted)


def _call(args: list[str], owner: tuple[int, int] | None, cwd: Path, timeout: float = 120) -> None:
    kwargs: dict[str, Any] = {}
    if owner is not None:
        kwargs = {"user": owner[0], "group": owner[1], "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


def _chown_tree(path: Path, owner: tuple[int, int] | None) -> None:
    if owner is None:
        return
    for item in [path, *path.rglob("*")]:
        os.chown(item, *owner)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _template_dir(bin_dir: Path, owner: tuple[int, int] | None) -> Path:
    """An initialised data directory, made once per process and copied for each server."""
    global _template
    if _template is None:
        root = Path(tempfile.mkdtemp(prefix="agentos-pg-template-"))
        atexit.register(shutil.rmtree, root, True)
        _chown_tree(root, owner)
        data = root / "data"
        _call(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                _SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            owner,
            cwd=root,
        )
        _template = data
    return _template


class PostgresServer:
    """One running server; ``url`` is a psycopg 3 SQLAlchemy URL to its ``postgres`` database."""

    def __init__(self, bin_dir: Path, owner: tuple[int, int] | None, root: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.owner = owner
        self.root = root
        self.data = root / "data"
        self.port = port
        self.url = f"postgresql+psycopg://{_SUPERUSER}@127.0.0.1:{port}/postgres"
        self.running = False

    @classmethod
    def start_new(cls) -> PostgresServer:
        bin_dir = find_bin_dir()
        owner = _run_as()
        if owner is not None:
            _make_readable(bin_dir)
        template = _template_dir(bin_dir, owner)
        root = Path(tempfile.mkdtemp(prefix="agentos-pg-"))
        shutil.copytree(template, root / "data", symlinks=True)
        (root / "data").chmod(0o700)
        _chown_tree(root, owner)
        last_error: Exception | None = None
        for _attempt in range(3):
            server = cls(bin_dir, owner, root, _free_port())
            try:
                server.start()
                atexit.register(server.stop, "immediate")
                return server
            except RuntimeError as exc:  # most likely the port was taken in between: try another
                last_error = exc
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {last_error}")

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log = self.root / "server.log"
        try:
            pg_ctl = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "-t", "60"]
            _call([*pg_ctl, "-o", options, "start"], self.owner, cwd=self.root)
        except RuntimeError as exc:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{exc}\nserver log:\n{text[-4000:]}") from None
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """Stop the server. ``fast`` shuts down cleanly, so a later ``start`` finds every
        committed write (commits are not flushed one by one here); ``immediate`` kills it."""
        if not self.running:
            return
        self.running = False
        _call(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
            self.owner,
            self.root,
        )

    def destroy(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def _start_or_fail() -> PostgresServer:
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: PostgreSQL tests skipped")
    try:
        return PostgresServer.start_new()
    except Exception as exc:
        pytest.fail(
            f"could not start the throwaway PostgreSQL ({exc}); set {SKIP_ENV}=1 to skip", pytrace=False
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server shared by the whole test session."""
    server = _start_or_fail()
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    return postgres_server.url


@pytest.fixture
def disposable_postgres() -> Iterator[PostgresServer]:
    """A server of the test's own, for tests that stop or break it."""
    server = _start_or_fail()
    yield server
    server.destroy()
