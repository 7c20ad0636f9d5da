"""Study manifests (docs/deliveries.md) as YAML text: a comment saying why, then the keys.

Laid out as the examples in docs/deliveries.md: each key on its own line, mapped columns one per
line, and small maps and lists (a recode, a scale, `drop`) on one line.
"""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Safe YAML with per-node choice of flow style."""


class _Inline(dict):
    """A mapping written on one line."""


class _InlineList(list):
    """A list written on one line."""


_Dumper.add_representer(
    _Inline, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, True)
)
_Dumper.add_representer(
    _InlineList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)


def _inline(value: Any) -> Any:
    if isinstance(value, dict):
        return _Inline({key: _inline(item) for key, item in value.items()})
    if isinstance(value, list):
        return _InlineList(_inline(item) for item in value)
    return value


def _laid_out(keys: dict[str, Any]) -> dict[str, Any]:
    """Top-level maps one entry per line; anything deeper, and top-level lists, inline."""
    return {
        key: {k: _inline(v) for k, v in value.items()}
        if isinstance(value, dict)
        else _inline(value)
        for key, value in keys.items()
    }


def manifest_yaml(why: str, keys: dict[str, Any]) -> bytes:
    """The manifest as UTF-8 YAML, keys in the given order."""
    body = yaml.dump(
        _laid_out(keys),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return f"# {why}\n{body}".encode()


def column_map(names: dict[str, str]) -> dict[str, str]:
    """`columns:` of a manifest (delivered name -> canonical name) from canonical -> delivered,
    for the columns delivered under another name."""
    return {
        delivered: canonical for canonical, delivered in names.items() if delivered != canonical
    }
