"""Refuse content that OpenAI's moderation endpoint flags (violence, hate, self-harm, ...).

Talks to ``POST {base_url}/moderations`` directly over httpx rather than through an SDK, so it
works against any OpenAI-compatible moderation server. ``async_check`` uses an async client
and never blocks the event loop; ``check`` uses a sync client and is meant for sync callers
only. Images of the input are sent too (as URLs or data URLs) because the omni models
moderate them.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any

import httpx
from agentos.exceptions import (
    CheckTrigger,
    ModelNotConfiguredError,
    ModelProviderError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from agentos.guardrails._base import BaseGuardrail, check_error
from agentos.guardrails._text import extract_text, guardrail_stage
from agentos.media import Image

_DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIModerationGuardrail(BaseGuardrail):
    """Block inputs (or outputs) flagged by a moderation model.

    With ``raise_for_categories=None`` any flagged result blocks; otherwise only results flagged
    in one of those categories (e.g. ``["violence", "hate/threatening"]``) do; a parent category
    also covers its sub-categories ("violence" covers "violence/graphic"). Provider failures
    raise :class:`~agentos.exceptions.ModelProviderError`: a guardrail that cannot check must not
    let the content through silently.

    ``http_client`` / ``async_http_client`` let callers share a pooled client; by default a
    short-lived one is opened per check, which is correct in any event loop.
    """

    def __init__(
        self,
        *,
        moderation_model: str = "omni-moderation-latest",
        raise_for_categories: Sequence[str] | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.moderation_model = moderation_model
        self.raise_for_categories = list(raise_for_categories) if raise_for_categories is not None else None
        self.api_key = api_key
        self.base_url = base_url
        self.timeout = timeout
        self.http_client = http_client
        self.async_http_client = async_http_client

    # -- request / response -------------------------------------------------------------------

    def _url(self) -> str:
        base = self.base_url or os.environ.get("OPENAI_BASE_URL") or _DEFAULT_BASE_URL
        return base.rstrip("/") + "/moderations"

    def _headers(self) -> dict[str, str]:
        key = self.api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            raise ModelNotConfiguredError(
                "OpenAIModerationGuardrail needs an API key: pass api_key= or set OPENAI_API_KEY",
                model_name="OpenAIModerationGuardrail",
                model_id=self.moderation_model,
            )
        return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    @staticmethod
    def _image_parts(target: Any) -> list[dict[str, Any]]:
        images: Sequence[Any] = getattr(target, "images", None) or ()
        parts: list[dict[str, Any]] = []
        for image in images:
            if not isinstance(image, Image):
                continue
            if image.url:
                url = image.url
            else:
                data = image.to_base64()
                if data is None:
                    continue
                url = f"data:{image.guess_mime_type('image/png')};base64,{data}"
            parts.append({"type": "image_url", "image_url": {"url": url}})
        return parts

    def _payload(self, text: str, images: list[dict[str, Any]]) -> dict[str, Any] | None:
        if not images:
            return {"model": self.moderation_model, "input": text} if text.strip() else None
        parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text.strip() else []
        return {"model": self.moderation_model, "input": parts + images}

    def _error(self, message: str, **kwargs: Any) -> ModelProviderError:
        return ModelProviderError(
            f"moderation request failed: {message}",
            model_name="OpenAIModerationGuardrail",
            model_id=self.moderation_model,
            **kwargs,
        )

    def _timeout(self) -> ModelTimeoutError:
        return ModelTimeoutError(
            f"moderation request timed out after {self.timeout}s",
            model_name="OpenAIModerationGuardrail",
            model_id=self.moderation_model,
            retryable=True,
        )

    def _parse(self, response: httpx.Response) -> list[dict[str, Any]]:
        if response.status_code >= 400:
            status = response.status_code
            error_type = ModelRateLimitError if status == 429 else ModelProviderError
            raise error_type(
                f"moderation request failed with HTTP {status}: {response.text[:500]}",
                model_name="OpenAIModerationGuardrail",
                model_id=self.moderation_model,
                status_code=status,
                retryable=status == 429 or status >= 500,
                retry_after=_retry_after(response),
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise self._error("response is not JSON", status_code=response.status_code) from exc
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list) or not all(isinstance(item, dict) for item in results):
            raise self._error("response has no 'results' list", status_code=response.status_code)
        return results

    def _enforce(self, results: list[dict[str, Any]], target: Any) -> None:
        flagged: set[str] = set()
        any_flagged = False
        for result in results:
            if not result.get("flagged"):
                continue
            any_flagged = True
            categories = result.get("categories") or {}
            flagged.update(name for name, on in categories.items() if on)
        if not any_flagged:
            return
        if self.raise_for_categories is not None:
            flagged = {name for name in flagged if _selected(name, self.raise_for_categories)}
            if not flagged:
                return
        stage = guardrail_stage(target)
        names = sorted(flagged)
        reason = ", ".join(names) if names else "unspecified category"
        raise check_error(
            stage,
            f"The {stage} was flagged by moderation: {reason}",
            CheckTrigger.MODERATION_FLAGGED,
            {"flagged_categories": names, "moderation_model": self.moderation_model},
        )

    # -- entry points ---------------------------------------------------------------------------

    def check(self, run_input: Any) -> None:
        payload = self._payload(extract_text(run_input), self._image_parts(run_input))
        if payload is None:
            return
        headers = self._headers()
        try:
            if self.http_client is not None:
                response = self.http_client.post(
                    self._url(), json=payload, headers=headers, timeout=self.timeout
                )
            else:
                with httpx.Client(timeout=self.timeout) as client:
                    response = client.post(self._url(), json=payload, headers=headers)
        except httpx.TimeoutException as exc:
            raise self._timeout() from exc
        except httpx.HTTPError as exc:
            raise self._error(f"{type(exc).__name__}: {exc}", retryable=True) from exc
        self._enforce(self._parse(response), run_input)

    async def async_check(self, run_input: Any) -> None:
        # Images given only by file path are read from disk: do that off the event loop.
        needs_disk = any(
            isinstance(image, Image) and image.url is None and image.content is None and image.filepath
            for image in getattr(run_input, "images", None) or ()
        )
        if needs_disk:
            images = await asyncio.to_thread(self._image_parts, run_input)
        else:
            images = self._image_parts(run_input)
        payload = self._payload(extract_text(run_input), images)
        if payload is None:
            return
        headers = self._headers()
        try:
            if self.async_http_client is not None:
                response = await self.async_http_client.post(
                    self._url(), json=payload, headers=headers, timeout=self.timeout
                )
            else:
                async with httpx.AsyncClient(timeout=self.timeout) as client:
                    response = await client.post(self._url(), json=payload, headers=headers)
        except httpx.TimeoutException as exc:
            raise self._timeout() from exc
        except httpx.HTTPError as exc:
            raise self._error(f"{type(exc).__name__}: {exc}", retryable=True) from exc
        self._enforce(self._parse(response), run_input)


def _selected(category: str, wanted: Sequence[str]) -> bool:
    """A parent category selects its sub-categories: "violence" also means "violence/graphic"."""
    return any(category == name or category.startswith(name + "/") for name in wanted)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
