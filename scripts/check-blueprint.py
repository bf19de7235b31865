"""Checks a Torque blueprint before Torque sees it.

    check-blueprint.py BLUEPRINT --schema SCHEMA [--root DIR]

1. The blueprint validates against Torque's published JSON Schema for
   `spec_version: 2` blueprints (SCHEMA; this project keeps a copy in
   ../shared/torque/), with the `jsonschema` package.
2. Every terraform or opentofu grain matches the module it applies, read
   with `python-hcl2`: its `source.path` (relative to DIR, default: the
   repository root) holds the module; each of its `inputs` is a variable of
   the module; every variable without a default is given; each of its
   `outputs` is an output of the module; its scripts exist.
3. Every input the blueprint uses, `{{ .inputs.NAME }}` or, for a name with
   spaces, `{{ .inputs.["NAME"] }}`, filters such as `| split: "|"` after
   it or not, is one of its inputs.

Prints each problem and exits 1 when there is one; prints "ok" otherwise.
Run with the project's virtualenv: `.venv/bin/python scripts/check-blueprint.py ...`
(`scripts/setup` installs the packages).
"""

import argparse
import json
import pathlib
import re
import sys

try:
    import hcl2
    import jsonschema
    import yaml
except ImportError as missing:
    sys.exit(f"error: {missing.name} is not installed: run scripts/setup and use .venv/bin/python")


def schema_problems(blueprint, schema):
    validator = jsonschema.Draft6Validator(schema)
    for error in sorted(validator.iter_errors(blueprint), key=lambda e: list(e.absolute_path)):
        # For "not valid under any of the given schemas", the deepest reason says more.
        error = jsonschema.exceptions.best_match([error])
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        yield f"schema: {where}: {error.message}"


def module_interface(directory):
    """The module's variables (name -> whether it has a default) and outputs."""
    variables, outputs = {}, set()
    for path in sorted(directory.glob("*.tf")):
        with path.open() as f:
            parsed = hcl2.load(f)
        for block in parsed.get("variable", []):
            for name, body in block.items():
                variables[name.strip('"')] = "default" in body
        for block in parsed.get("output", []):
            outputs.update(name.strip('"') for name in block)
    return variables, outputs


def grain_problems(name, grain, root):
    spec = grain.get("spec") or {}
    path = (spec.get("source") or {}).get("path", "")
    module = root / path
    if not path or not list(module.glob("*.tf")):
        yield f"grain `{name}`: source.path `{path}` holds no Terraform module under {root}"
        return
    variables, outputs = module_interface(module)
    given = [key for item in spec.get("inputs") or [] for key in item]
    for key in given:
        if key not in variables:
            yield f"grain `{name}`: input `{key}` is not a variable of {path} (it has: {', '.join(sorted(variables))})"
    for variable, has_default in sorted(variables.items()):
        if not has_default and variable not in given:
            yield f"grain `{name}`: {path} needs variable `{variable}`, which the grain's inputs do not give"
    for output in spec.get("outputs") or []:
        if output not in outputs:
            yield f"grain `{name}`: output `{output}` is not an output of {path} (it has: {', '.join(sorted(outputs))})"
    for hook, script in (spec.get("scripts") or {}).items():
        script_path = (script.get("source") or {}).get("path", "")
        if not (root / script_path).is_file():
            yield f"grain `{name}`: the {hook} script `{script_path}` does not exist under {root}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("blueprint", type=pathlib.Path)
    parser.add_argument("--schema", required=True, type=pathlib.Path)
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    args = parser.parse_args()

    text = args.blueprint.read_text()
    blueprint = yaml.safe_load(text)
    problems = list(schema_problems(blueprint, json.loads(args.schema.read_text())))
    for name, grain in (blueprint.get("grains") or {}).items():
        if grain and grain.get("kind") in ("terraform", "opentofu"):
            problems.extend(grain_problems(name, grain, args.root))
    declared = set(blueprint.get("inputs") or {})
    references = re.findall(r"\{\{\s*\.inputs\.(?:\[\"([^\"]+)\"\]|([\w-]+))", text)
    for used in sorted({quoted or plain for quoted, plain in references} - declared):
        shown = f'["{used}"]' if re.search(r"[^\w-]", used) else used
        problems.append(f"`{{{{ .inputs.{shown} }}}}` names no input of the blueprint")

    for problem in problems:
        print(f"{args.blueprint}: {problem}")
    if problems:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
