"""Which sign-ins come from a device the user has signed in with before."""

from __future__ import annotations

import pytest

from api.services.devices import is_known_device

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
SEEN: list[str | None] = [FIREFOX_WINDOWS, "curl/8.4.0"]


@pytest.mark.parametrize(
    ("agent", "known"),
    [
        (FIREFOX_WINDOWS, True),
        # A browser or program update is the same device.
        (FIREFOX_WINDOWS.replace("133.0", "134.0"), True),
        ("curl/8.5.0", True),
        (CHROME_MAC, False),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", False),
        (None, False),
    ],
)
def test_a_device_is_known_by_its_user_agent_whatever_the_versions(
    agent: str | None, known: bool
) -> None:
    assert is_known_device(agent, SEEN) is known


def test_the_first_sign_in_is_from_a_known_device() -> None:
    assert is_known_device(CHROME_MAC, [])
