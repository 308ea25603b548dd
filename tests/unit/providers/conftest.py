"""The provider tests run against the local fake model servers."""

from model_servers import fake_anthropic_server, fake_openai_server

__all__ = ["fake_anthropic_server", "fake_openai_server"]
