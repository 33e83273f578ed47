"""The AsyncAPI document as a server-rendered page (GET /asyncapi): channels, operations, messages, schemas.

No script and no CDN viewer: the page is plain HTML under the search page's Content-Security-Policy, and every
text taken from the document is escaped.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

Schema = dict[str, Any]


def ref_name(reference: str) -> str:
    return reference.rsplit("/", 1)[-1]


def anchor(kind: str, name: str) -> str:
    return escape(f"{kind}-{name}")


def type_label(schema: Schema) -> str:
    """A field's type in a few words, with links to the schemas it refers to."""
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        return f'<a href="#{anchor("schema", name)}">{escape(name)}</a>'
    if "anyOf" in schema:
        return " | ".join(type_label(option) for option in schema["anyOf"])
    if "const" in schema:
        return escape(json.dumps(schema["const"], ensure_ascii=False))
    if "enum" in schema:
        return " | ".join(escape(json.dumps(value, ensure_ascii=False)) for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {type_label(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {type_label(schema['additionalProperties'])}"
    return escape(f"{kind} ({schema['format']})" if "format" in schema else str(kind))


def fields_table(schema: Schema) -> str:
    """One row per property: name, type, required, description (and default)."""
    required = set(schema.get("required", []))
    rows = []
    for name, field in schema.get("properties", {}).items():
        note = field.get("description", "")
        if "default" in field:
            note = f"{note} (default {json.dumps(field['default'], ensure_ascii=False)})".strip()
        rows.append(
            f"<tr><td><code>{escape(name)}</code></td><td>{type_label(field)}</td>"
            f"<td>{'yes' if name in required else ''}</td><td>{escape(note)}</td></tr>"
        )
    head = "<tr><th>field</th><th>type</th><th>required</th><th>description</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>" if rows else ""


def paragraph(text: str | None) -> str:
    return f"<p>{escape(text)}</p>" if text else ""


def channel_section(document: Schema, key: str, channel: Schema) -> str:
    rows = []
    for name, operation in document["operations"].items():
        if ref_name(operation["channel"]["$ref"]) != key:
            continue
        service = name.split(".", 1)[0]
        messages = ", ".join(
            f'<a href="#{anchor("message", ref_name(m["$ref"]))}">{escape(ref_name(m["$ref"]))}</a>'
            for m in operation["messages"]
        )
        rows.append(
            f"<tr><td>{escape(service)}</td><td>{escape(operation['action'])}</td><td>{messages}</td>"
            f"<td>{escape(operation.get('description', ''))}</td></tr>"
        )
    head = "<tr><th>service</th><th>action</th><th>message</th><th>note</th></tr>"
    return (
        f'<section id="{anchor("channel", key)}"><h3><code>{escape(channel["address"])}</code></h3>'
        f"{paragraph(channel.get('description'))}<table>{head}{''.join(rows)}</table></section>"
    )


def message_section(name: str, message: Schema) -> str:
    payload = message.get("payload", {})
    body = f"<p>payload: {type_label(payload)}</p>{paragraph(payload.get('description'))}"
    headers = message.get("headers")
    if headers:
        body += f"<h4>headers</h4>{fields_table(headers)}"
    return (
        f'<section id="{anchor("message", name)}"><h3>{escape(message.get("title", name))}</h3>'
        f"{paragraph(message.get('summary'))}{body}</section>"
    )


def schema_section(name: str, schema: Schema) -> str:
    return (
        f'<section id="{anchor("schema", name)}"><h3>{escape(name)}</h3>'
        f"{paragraph(schema.get('description'))}{fields_table(schema)}</section>"
    )


def render_page(document: Schema) -> str:
    info = document["info"]
    components = document.get("components", {})
    servers = "".join(
        f"<dt>{escape(name)}</dt><dd><code>{escape(server['protocol'])}://{escape(server['host'])}</code> "
        f"{escape(server.get('description', ''))}</dd>"
        for name, server in document.get("servers", {}).items()
    )
    contents = "".join(
        f'<li><a href="#{anchor("channel", key)}"><code>{escape(channel["address"])}</code></a></li>'
        for key, channel in document["channels"].items()
    )
    title = f"{info['title']} {info['version']} — AsyncAPI {document['asyncapi']}"
    return "".join(
        [
            '<!doctype html><html lang="en"><head><meta charset="utf-8">',
            f'<title>{escape(title)}</title><link rel="stylesheet" href="/static/style.css"></head><body>',
            '<header><h1><a href="/">govreports</a></h1><a href="/asyncapi.json">asyncapi.json</a></header><main>',
            f"<h2>{escape(title)}</h2>{paragraph(info.get('description'))}",
            f"<h2>Servers</h2><dl>{servers}</dl><h2>Channels</h2><ul>{contents}</ul>",
            *(channel_section(document, key, channel) for key, channel in document["channels"].items()),
            "<h2>Messages</h2>",
            *(message_section(name, message) for name, message in components.get("messages", {}).items()),
            "<h2>Schemas</h2>",
            *(schema_section(name, schema) for name, schema in components.get("schemas", {}).items()),
            "</main></body></html>",
        ]
    )
