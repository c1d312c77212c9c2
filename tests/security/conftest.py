# The local Gemini fake and its client, for the unsafe-consumption tests.
from tests.infra.ai.conftest import (
    fake_gemini,
    fake_gemini_server,
    gemini_client,
    gemini_settings,
    pt_cv,
)

__all__ = ["fake_gemini", "fake_gemini_server", "gemini_client", "gemini_settings", "pt_cv"]
