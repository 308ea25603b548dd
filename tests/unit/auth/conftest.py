"""Fixtures of the auth tests (the machinery is in ``auth_harness``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from auth_harness import Keys, ServerFactory, generate_keys


@pytest.fixture(scope="session")
def keys() -> Keys:
    """RSA, EC and HMAC material, generated once per test session."""
    return generate_keys()


@pytest.fixture
def jwks_file(keys: Keys, tmp_path: Path) -> str:
    """A JWKS file with both RSA public keys, kids ``k1`` and ``k2``."""
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(keys.jwks()))
    return str(path)


@pytest.fixture
async def start_server() -> AsyncIterator[ServerFactory]:
    factory = ServerFactory()
    yield factory
    await factory.close()
