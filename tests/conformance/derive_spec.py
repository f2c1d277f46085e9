#!/usr/bin/env python3
"""Writes the copy of OpenAI's OpenAPI description that the conformance mock (Prism) serves.

Usage: derive_spec.py SOURCE.yaml TARGET.json

The published description has schemas with `nullable: true` but no `type` (OpenAPI 3.0 only
defines `nullable` next to a `type`). Prism turns `type: T` + `nullable` into `[T, "null"]` and
leaves a typeless `nullable` to Ajv, which refuses to compile such a schema, so the request
bodies that use one (e.g. chat completions' `stop`) are not validated at all. This script gives
every such schema the type(s) its `$ref`, `oneOf`/`anyOf` branches, `allOf` siblings,
`properties`, `items` or `enum` imply (a list when they disagree, which Ajv accepts), and
changes nothing else. The result is written as JSON. The source file is never modified.
"""

import json
import os
import re
import sys

import yaml

TYPE_ORDER = ["object", "array", "string", "number", "integer", "boolean"]


class Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader with YAML 1.2 core scalars, as JavaScript OpenAPI tools read the file: `on`,
    `no`, `12:30` and dates stay strings instead of becoming booleans, sexagesimal ints or dates
    (PyYAML's YAML 1.1 default)."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                         "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
                         "tag:yaml.org,2002:value")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def resolve(document, ref):
    """The object a local `#/a/b` reference points to (None for any other reference)."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def implied_types(document, schema, seen=()):
    """The JSON types a schema admits, as far as its keywords tell (empty when they do not)."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    seen = seen + (id(schema),)
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if isinstance(t, str)}
    if "$ref" in schema:
        return implied_types(document, resolve(document, schema["$ref"]), seen)
    types = set()
    for keyword in ("oneOf", "anyOf"):
        for branch in schema.get(keyword) or []:
            types |= implied_types(document, branch, seen)
    for branch in schema.get("allOf") or []:
        types |= implied_types(document, branch, seen)
    if types:
        return types
    if "properties" in schema or "additionalProperties" in schema:
        return {"object"}
    if "items" in schema:
        return {"array"}
    for value in schema.get("enum") or []:
        if isinstance(value, bool):
            types.add("boolean")
        elif isinstance(value, int):
            types.add("integer")
        elif isinstance(value, float):
            types.add("number")
        elif isinstance(value, str):
            types.add("string")
    return types


def give_types(document):
    """Adds a type to every typeless `nullable: true` schema; returns the JSON pointers changed."""
    changed = []

    def visit(node, pointer, allof_siblings):
        if isinstance(node, dict):
            if node.get("nullable") is True and "type" not in node:
                types = implied_types(document, node)
                # A bare `{nullable: true}` inside an allOf takes the type of its siblings.
                for sibling in allof_siblings if not types else []:
                    types |= implied_types(document, sibling)
                types.discard("null")
                ordered = [t for t in TYPE_ORDER if t in types] or list(TYPE_ORDER)
                node["type"] = ordered[0] if len(ordered) == 1 else ordered
                changed.append((pointer, node["type"]))
            for key, value in node.items():
                siblings = ()
                if key == "allOf" and isinstance(value, list):
                    siblings = value
                if isinstance(value, list):
                    for index, item in enumerate(value):
                        others = [s for s in siblings if s is not item]
                        visit(item, f"{pointer}/{key}/{index}", others)
                else:
                    visit(value, f"{pointer}/{key}", ())

    visit(document, "#", ())
    return changed


def main(argv):
    if len(argv) != 3:
        print("usage: derive_spec.py SOURCE.yaml TARGET.json", file=sys.stderr)
        return 2
    source, target = argv[1], argv[2]
    with open(source, encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=Yaml12Loader)
    changed = give_types(document)
    temporary = f"{target}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    os.replace(temporary, target)
    print(f"derive_spec: {len(changed)} typeless nullable schema(s) given a type -> {target}")
    for pointer, given in changed:
        print(f"  {pointer}: {json.dumps(given)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
