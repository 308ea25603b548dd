"""Model strings ("provider:model_id") resolved to Model instances, with a registry users extend.

Factories are imported lazily so that naming a provider does not import every provider
module; ``register_model_provider("mine", lambda model_id: MyModel(id=model_id))`` adds one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from agentos.models._base import Model

ModelFactory = Callable[[str], Model]

_lock = threading.Lock()
_factories: dict[str, ModelFactory] = {}


def _openai(model_id: str) -> Model:
    from agentos.models.openai import OpenAIChat

    return OpenAIChat(id=model_id)


def _anthropic(model_id: str) -> Model:
    from agentos.models.anthropic import Claude

    return Claude(id=model_id)


def _builtin() -> dict[str, ModelFactory]:
    # "openai-compatible" is OpenAIChat too: it reads OPENAI_BASE_URL (and an optional key) at call time.
    return {"openai": _openai, "openai-compatible": _openai, "anthropic": _anthropic}


_factories.update(_builtin())


def register_model_provider(name: str, factory: ModelFactory) -> None:
    """Make ``get_model("name:model_id")`` call ``factory(model_id)``; replaces an existing entry."""
    key = name.strip().lower()
    if not key or ":" in key:
        raise ValueError(f"invalid provider name {name!r}: it must be non-empty and contain no ':'")
    with _lock:
        _factories[key] = factory


def model_providers() -> list[str]:
    """The provider names ``get_model`` knows, sorted."""
    with _lock:
        return sorted(_factories)


def get_model(model: Model | str | None) -> Model:
    """A Model from a Model (returned as is) or a "provider:model_id" string.

    ``None`` has no sensible default (there is no key to assume), so it is an error that says
    what to pass.
    """
    if isinstance(model, Model):
        return model
    if model is None:
        raise ValueError(
            'no model given: pass a Model (e.g. OpenAIChat(id="gpt-4o")) or a string like "openai:gpt-4o"'
        )
    if not isinstance(model, str):
        raise TypeError(f"model must be a Model or a 'provider:model_id' string, not {type(model).__name__}")
    provider, sep, model_id = model.partition(":")
    provider, model_id = provider.strip().lower(), model_id.strip()
    if not sep or not provider or not model_id:
        raise ValueError(
            f"invalid model string {model!r}: expected 'provider:model_id', e.g. 'openai:gpt-4o'"
        )
    with _lock:
        factory = _factories.get(provider)
        known = sorted(_factories)
    if factory is None:
        raise ValueError(
            f"unknown model provider {provider!r} in {model!r}; known providers: {', '.join(known)}"
        )
    return factory(model_id)
