"""Settings come from RECOLOCA_* variables; production refuses placeholder secrets."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from infra.settings import Environment, Settings


def test_nested_variables_land_in_their_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOLOCA_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    monkeypatch.setenv("RECOLOCA_KAFKA_ENABLE_IDEMPOTENCE", "true")
    monkeypatch.setenv("RECOLOCA_CONSUMER_MAX_ATTEMPTS", "7")
    settings = Settings()
    assert settings.kafka.bootstrap_servers == "kafka:9092"
    assert settings.kafka.enable_idempotence is True
    assert settings.consumer.max_attempts == 7


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOLOCA_ENV", "production")
    with pytest.raises(ValidationError, match="RECOLOCA_AUTH_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("RECOLOCA_AUTH_SECRET_KEY", "short")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.setenv("RECOLOCA_AUTH_SECRET_KEY", "x" * 40)
    with pytest.raises(ValidationError, match="RECOLOCA_CONTROL_SIGNING_KEY"):
        Settings()
    monkeypatch.setenv("RECOLOCA_CONTROL_SIGNING_KEY", "y" * 40)
    with pytest.raises(ValidationError, match="RECOLOCA_CRYPTO_MASTER_KEY"):
        Settings()
    monkeypatch.setenv("RECOLOCA_CRYPTO_MASTER_KEY", "z" * 40)
    with pytest.raises(ValidationError, match="RECOLOCA_MFA_ENCRYPTION_KEY"):
        Settings()
    monkeypatch.setenv("RECOLOCA_MFA_ENCRYPTION_KEY", "z" * 40)
    settings = Settings()
    assert settings.env is Environment.PRODUCTION
    assert settings.json_logs is True


def test_previous_master_keys_come_from_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOLOCA_CRYPTO_MASTER_KEY_ID", "k2")
    monkeypatch.setenv(
        "RECOLOCA_CRYPTO_PREVIOUS_KEYS", '{"k1": "an old master key of some length"}'
    )
    keys = Settings().crypto.master_keys()
    assert keys.current_id == "k2"
