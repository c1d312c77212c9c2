import json
import time

import pytest

from infra.signing import InvalidSignatureError, sign, verify

KEY = b"k" * 32


def test_a_signed_message_verifies_to_its_body():
    assert verify(KEY, sign(KEY, '{"a": 1}'), max_age_seconds=60) == '{"a": 1}'


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda m: '{"group": "parsing"}', id="unsigned command"),
        pytest.param(lambda m: sign(b"x" * 32, '{"a": 1}'), id="another key"),
        pytest.param(lambda m: m.replace('{\\"a\\": 1}', '{\\"a\\": 2}'), id="body changed"),
        pytest.param(
            lambda m: json.dumps({**json.loads(m), "issued_at": time.time() + 5}), id="time changed"
        ),
        pytest.param(lambda m: sign(KEY, '{"a": 1}', now=time.time() - 120), id="too old"),
    ],
)
def test_forged_or_stale_messages_are_refused(forge):
    with pytest.raises(InvalidSignatureError):
        verify(KEY, forge(sign(KEY, '{"a": 1}')), max_age_seconds=60)
