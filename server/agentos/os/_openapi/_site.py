"""The static site served beside the REST API: ``/openapi.json``, ``/docs`` and ``/chat``.

The gateway serves files, not Python (Envoy ``direct_response`` routes), so the site is written
to a directory once at start-up. The pages are self-contained HTML with inline CSS and JS and
no CDN: they work on an offline machine and load nothing but the API they sit next to.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import NamedTuple

from agentos.os._openapi._document import OpenAPIOptions, openapi_json

OPENAPI_PATH = "/openapi.json"
DOCS_PATH = "/docs"
CHAT_PATH = "/chat"

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"


class StaticFile(NamedTuple):
    """A file to serve at a URL path, and its content type (the shape of the gateway's
    ``StaticRoute``: ``StaticRoute(*static_file)`` converts one)."""

    file: Path
    content_type: str


def page(name: str) -> str:
    """The text of one of the bundled pages (``docs.html``, ``chat.html``)."""
    return resources.files("agentos.os._openapi").joinpath("static", name).read_text(encoding="utf-8")


def write_static_site(
    directory: str | Path,
    options: OpenAPIOptions | None = None,
    *,
    descriptor_set: Path | None = None,
) -> dict[str, StaticFile]:
    """Writes the OpenAPI document and the pages into ``directory``; returns URL path -> file.

    The docs page fetches ``openapi.json`` relative to itself, so both must be served from the
    same directory level (``/docs`` and ``/openapi.json``).
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    files = {
        OPENAPI_PATH: ("openapi.json", openapi_json(options, descriptor_set=descriptor_set), JSON_TYPE),
        DOCS_PATH: ("docs.html", page("docs.html"), HTML_TYPE),
        CHAT_PATH: ("chat.html", page("chat.html"), HTML_TYPE),
    }
    site: dict[str, StaticFile] = {}
    for url_path, (name, text, content_type) in files.items():
        file = target / name
        file.write_text(text, encoding="utf-8")
        site[url_path] = StaticFile(file, content_type)
    return site
