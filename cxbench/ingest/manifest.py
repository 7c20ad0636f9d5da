"""Finding and loading the study manifest of a delivery (format: docs/deliveries.md).

A sidecar (`study.xlsx.yml`, or `study.yml`) wins over a folder manifest (`manifest.yml` or
`_manifest.yml` beside the file). A manifest that cannot be used rejects its files with one
reason naming it; the reading itself never sees an invalid manifest.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from cxbench.ingest.readers.common import RejectedFile
from validations.manifest_schema import StudyManifest

SUFFIXES = (".yml", ".yaml")
FOLDER_MANIFESTS = ("manifest", "_manifest")
NO_MANIFEST = StudyManifest()


class ManifestError(RejectedFile):
    """The manifest itself is wrong; every file it applies to is rejected with this reason."""


def find_manifest(path: Path) -> Path | None:
    """The manifest that applies to the delivered file at `path`, if any."""
    names = [path.name + s for s in SUFFIXES] + [path.stem + s for s in SUFFIXES]
    names += [name + s for name in FOLDER_MANIFESTS for s in SUFFIXES]
    return next((path.with_name(n) for n in names if path.with_name(n).is_file()), None)


class _Yaml12Loader(yaml.SafeLoader):
    """YAML without 1.1's surprises: `Nee`, `yes`, `on` and `NO` stay text, as in a survey file."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_manifest(path: Path | None, name: str) -> StudyManifest:
    """Parse and check the manifest at `path` (`name` is how reasons refer to it)."""
    if path is None:
        return NO_MANIFEST
    try:
        content = yaml.load(path.read_bytes(), Loader=_Yaml12Loader)
    except (OSError, yaml.YAMLError) as error:
        raise ManifestError(f"manifest {name}: not readable YAML: {_one_line(error)}") from error
    if content is None:
        return NO_MANIFEST
    if not isinstance(content, dict):
        raise ManifestError(f"manifest {name}: must be a mapping of keys, not a {_kind(content)}")
    try:
        return StudyManifest.model_validate(content)
    except ValidationError as error:
        raise ManifestError(f"manifest {name}: {describe(error)}") from error


def describe(error: ValidationError) -> str:
    """pydantic's errors as one line a data manager can act on."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        if item["type"] == "extra_forbidden":
            parts.append(f"unknown key {where!r}")
        else:
            message = item["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts[:3]) + ("; ..." if len(parts) > 3 else "")


def _kind(value: object) -> str:
    return {list: "list", str: "text"}.get(type(value), type(value).__name__)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]
