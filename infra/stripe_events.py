"""Reading Stripe's payloads: pure functions over the plain dicts a verified event holds.

Both the webhook intake (which keys the inbox by customer) and the billing consumer
(which reads the whole event) need to agree on whose event it is.
"""

from __future__ import annotations

from typing import Any


def reference(value: Any) -> str | None:
    """A reference: Stripe sends an id, or the object itself when it was expanded."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def event_object(event: dict[str, Any]) -> Any:
    """The object the event is about (a dict in every event Stripe sends)."""
    return (event.get("data") or {}).get("object") or {}


def event_customer(event: dict[str, Any]) -> str | None:
    """The customer the event is about: the deleted customer itself, else the object's."""
    obj = event_object(event)
    if not isinstance(obj, dict):
        return None
    return reference(
        obj.get("id") if event.get("type") == "customer.deleted" else obj.get("customer")
    )
