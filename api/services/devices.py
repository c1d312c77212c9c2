"""Which sign-ins come from the same device, as far as a User-Agent can tell."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Version numbers change with every browser or system update; the device does not.
_VERSION = re.compile(r"\d+(?:[._]\d+)*")


def device_key(user_agent: str | None) -> str | None:
    """``user_agent`` without its version numbers: "Firefox/133.0" and "Firefox/134.0"
    on the same system are one device."""
    if user_agent is None:
        return None
    return _VERSION.sub("#", user_agent.strip())


def is_known_device(user_agent: str | None, seen: Sequence[str | None]) -> bool:
    """Whether a sign-in with ``user_agent`` comes from a device among ``seen`` (those
    of the user's earlier sessions). The very first sign-in counts as known: it follows
    the registration."""
    if not seen:
        return True
    key = device_key(user_agent)
    return any(device_key(agent) == key for agent in seen)
