"""The OpenAPI document of the REST gateway, and the static pages served beside it.

``build_openapi()`` derives an OpenAPI 3.1 document from the contract's descriptor set (paths
from the ``google.api.http`` bindings, schemas from the messages, descriptions from the proto
comments). ``write_static_site(dir)`` writes that document and two self-contained pages (the
offline ``/docs`` viewer and the ``/chat`` demo) for the gateway to serve as static routes.
"""

from agentos.os._openapi._bindings import HttpBinding, PathVariable, bindings_of
from agentos.os._openapi._descriptors import ProtoIndex, clean_comment, default_descriptor_set_path
from agentos.os._openapi._document import (
    OPENAPI_VERSION,
    OpenAPIOptions,
    build_openapi,
    http_bindings,
    openapi_json,
)
from agentos.os._openapi._site import CHAT_PATH, DOCS_PATH, OPENAPI_PATH, StaticFile, page, write_static_site

__all__ = [
    "CHAT_PATH",
    "DOCS_PATH",
    "OPENAPI_PATH",
    "OPENAPI_VERSION",
    "HttpBinding",
    "OpenAPIOptions",
    "PathVariable",
    "ProtoIndex",
    "StaticFile",
    "bindings_of",
    "build_openapi",
    "clean_comment",
    "default_descriptor_set_path",
    "http_bindings",
    "openapi_json",
    "page",
    "write_static_site",
]
