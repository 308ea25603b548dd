"""``AgentOSConfig``: what a UI shows for this AgentOS (models, quick prompts, page settings).

It is given as an object or as a YAML file with the same shape (Agno's format). The runtime does
not act on it beyond reporting it in ``GetConfig``; it exists so that one deployment file
describes the pages of a control plane. Unknown keys are rejected: a typo in a deployment file
should fail at start-up, not be silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DomainSettings(_Strict):
    """Page settings for one database of a domain."""

    display_name: str | None = None
    available_models: list[str] | None = None


class DatabaseConfig(_Strict):
    """A database a page reads, with optional per-database settings.

    YAML accepts ``- my_db``, ``- db_id: my_db`` with ``domain_config``, or ``- my_db: {domain_config: ...}``.
    """

    db_id: str
    domain_config: DomainSettings | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"db_id": value}
        if isinstance(value, Mapping) and "db_id" not in value and len(value) == 1:
            ((db_id, body),) = value.items()
            if body is None:
                return {"db_id": db_id}
            if isinstance(body, Mapping):
                return {"db_id": db_id, **body}
        return value


class DomainConfig(_Strict):
    """Settings of one page (sessions, memory, knowledge, metrics, traces)."""

    display_name: str | None = None
    dbs: list[DatabaseConfig] | None = None


class SessionConfig(DomainConfig):
    pass


class MemoryConfig(DomainConfig):
    pass


class KnowledgeConfig(DomainConfig):
    pass


class MetricsConfig(DomainConfig):
    pass


class TracesConfig(DomainConfig):
    pass


class EvalsConfig(DomainConfig):
    """The evals page also offers judge models."""

    available_models: list[str] | None = None


class ChatConfig(_Strict):
    """Suggested prompts keyed by agent, team or workflow id."""

    quick_prompts: dict[str, list[str]] = Field(default_factory=dict)


class AgentOSConfig(_Strict):
    """UI configuration of an AgentOS (see the module docstring)."""

    available_models: list[str] | None = None
    chat: ChatConfig | None = None
    evals: EvalsConfig | None = None
    knowledge: KnowledgeConfig | None = None
    memory: MemoryConfig | None = None
    session: SessionConfig | None = None
    metrics: MetricsConfig | None = None
    traces: TracesConfig | None = None

    @classmethod
    def from_yaml(cls, path: str | Path) -> AgentOSConfig:
        """Load a YAML file; ``ValueError`` naming the file for unreadable or invalid content."""
        import yaml

        file = Path(path)
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ValueError(f"cannot read AgentOS config {str(file)!r}: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise ValueError(f"AgentOS config {str(file)!r} is not valid YAML: {exc}") from None
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise ValueError(f"AgentOS config {str(file)!r} must be a mapping at the top level")
        from pydantic import ValidationError

        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or '(top level)'}: {error['msg']}"
                for error in exc.errors()
            )
            raise ValueError(f"AgentOS config {str(file)!r} is invalid: {problems}") from None


def load_config(config: AgentOSConfig | str | Path | None) -> AgentOSConfig:
    """The config object for ``AgentOS(config=...)``: an object as is, a path loaded from YAML."""
    if config is None:
        return AgentOSConfig()
    if isinstance(config, AgentOSConfig):
        return config
    if isinstance(config, str | Path):
        return AgentOSConfig.from_yaml(config)
    raise TypeError(f"config must be an AgentOSConfig or a YAML file path, not {type(config).__name__}")
