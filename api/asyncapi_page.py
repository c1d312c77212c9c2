"""The bus's AsyncAPI document as a readable page, rendered here on the server: it needs
no script and no asset from another host, so it works offline and behind any proxy."""

from __future__ import annotations

from html import escape
from typing import Any

ASYNCAPI_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1b1b}
h1{margin-bottom:.2rem}section{border-top:1px solid #ddd;padding:.6rem 0}
code{background:#f3f3f3;padding:0 .25rem;border-radius:3px}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
.role{color:#555}
"""


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        return " | ".join(_type_of(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(repr(value) for value in schema["enum"])
    kind = str(schema.get("type", "any"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _schema_table(name: str, schema: dict[str, Any]) -> str:
    required = set(schema.get("required", ()))
    rows = "".join(
        f"<tr><td><code>{escape(field)}</code>{'' if field in required else ' (optional)'}</td>"
        f"<td>{escape(_type_of(spec))}</td><td>{escape(str(spec.get('description', '')))}</td></tr>"
        for field, spec in schema.get("properties", {}).items()
    )
    if not rows:
        return f"<p><code>{escape(name)}</code>: {escape(_type_of(schema))}</p>"
    return (
        f'<h3 id="schema-{escape(name)}">{escape(name)}</h3>'
        f"<table><tr><th>field</th><th>type</th><th>description</th></tr>{rows}</table>"
    )


def render_asyncapi(spec: dict[str, Any]) -> str:
    """HTML for an AsyncAPI 3 document: every channel, who publishes or consumes it, and
    the fields of every message."""
    info = spec.get("info", {})
    roles: dict[str, list[str]] = {}
    for operation_id, operation in spec.get("operations", {}).items():
        channel = _ref_name(operation["channel"]["$ref"])
        actor = operation_id.split(":", 1)[0]
        verb = "consumed by" if operation.get("action") == "receive" else "published by"
        roles.setdefault(channel, []).append(f"{verb} {actor}")
    messages = spec.get("components", {}).get("messages", {})
    channels = []
    for channel_id, channel in sorted(
        spec.get("channels", {}).items(), key=lambda item: item[1].get("address", "")
    ):
        payloads = []
        for message in channel.get("messages", {}).values():
            body = messages.get(_ref_name(message.get("$ref", "")), {})
            payload = body.get("payload", {})
            if "$ref" in payload:
                name = _ref_name(payload["$ref"])
                payloads.append(f'<a href="#schema-{escape(name)}">{escape(name)}</a>')
        channels.append(
            f"<section><h2><code>{escape(channel.get('address', channel_id))}</code></h2>"
            f"<p class=role>{escape('; '.join(roles.get(channel_id, [])))}</p>"
            f"<p>{escape(str(channel.get('description', '')))}</p>"
            f"<p>message: {', '.join(payloads) or '-'}</p></section>"
        )
    schemas = "".join(
        _schema_table(name, schema)
        for name, schema in spec.get("components", {}).get("schemas", {}).items()
    )
    title = escape(str(info.get("title", "AsyncAPI")))
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{title}</title><style>{ASYNCAPI_STYLE}</style></head><body>"
        f"<h1>{title}</h1><p>{escape(str(info.get('description', '')))} "
        f"AsyncAPI {escape(str(spec.get('asyncapi', '')))}, version "
        f"{escape(str(info.get('version', '')))}; "
        f'the document itself: <a href="/asyncapi.json">/asyncapi.json</a>.</p>'
        f"{''.join(channels)}<h2>Messages</h2>{schemas}</body></html>"
    )
