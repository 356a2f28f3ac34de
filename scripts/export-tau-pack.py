#!/usr/bin/env python3
"""Export the tau-bench (v1) benchmark pack from the upstream Python source.

The pack is the JSON layout the app loads (see ../shared/README.md):

    LICENSE
    user_simulator_prompt.txt
    <domain>/<table>.json        the database, as the domain's load_data() reads it
    <domain>/wiki.md             the policy (the env's wiki)
    <domain>/rules.json          the env's rules
    <domain>/tools.json          each tool's get_info(), in the env's order
    <domain>/tasks_<split>.json  the split's tasks
    historical/gpt-4o-airline.json   (only with --with-historical)

Upstream (sierra-research/tau-bench) holds the databases as JSON and the rest
as Python, so this script imports the original package and builds each
domain's environment (human user: no model is called) to read its data,
tools, tasks, wiki and rules. Run it on a checkout at the commit the app pins
(TAU_BENCH_COMMIT in src/lib/envs/tau-bench/upstream.ts); on ../shared/tau-bench-src its output equals
../shared/tau-bench byte for byte (scripts/export-tau-pack.test.ts).

Python 3.10+ and the standard library only: `litellm` (used only by the
simulated user's model calls) and `pydantic` (tau_bench.types' BaseModel) are
replaced by the small stand-ins below before tau_bench is imported, so the
export does not depend on what is installed.

Usage:
    python3 scripts/export-tau-pack.py --src UPSTREAM_CHECKOUT --out PACK_DIR [--with-historical]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import types
import typing
from typing import Any

# Each domain: the environment class upstream builds, and its task splits.
DOMAINS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "airline": ("tau_bench.envs.airline", "MockAirlineDomainEnv", ("test",)),
    "retail": ("tau_bench.envs.retail", "MockRetailDomainEnv", ("test", "train", "dev")),
}

HISTORICAL = os.path.join("historical_trajectories", "gpt-4o-airline.json")


class ExportError(Exception):
    pass


# --- stand-ins for the two third-party imports of tau_bench -----------------


class _BaseModel:
    """What tau_bench needs of pydantic.BaseModel: keyword construction of the
    declared fields (in declaration order, defaults from the class, extra keys
    ignored as pydantic ignores them, e.g. the tasks' `annotator`), nested
    models built from dicts, and model_dump()."""

    @classmethod
    def _fields(cls) -> list[str]:
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            for name in klass.__dict__.get("__annotations__", {}):
                if name not in names:
                    names.append(name)
        return names

    @classmethod
    def _annotation(cls, name: str) -> Any:
        for klass in cls.__mro__:
            ann = klass.__dict__.get("__annotations__", {})
            if name in ann:
                return ann[name]
        return None

    def __init__(self, **kwargs: Any) -> None:
        for name in self._fields():
            if name in kwargs:
                value = _build(self._annotation(name), kwargs[name])
            elif hasattr(type(self), name):
                value = getattr(type(self), name)
            else:
                raise ExportError(f"{type(self).__name__}: field {name!r} is missing")
            object.__setattr__(self, name, value)

    def model_dump(self) -> dict[str, Any]:
        return {name: _dump(getattr(self, name)) for name in self._fields()}


def _build(annotation: Any, value: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, _BaseModel) and isinstance(value, dict):
        return annotation(**value)
    if typing.get_origin(annotation) is list and isinstance(value, list):
        (item,) = typing.get_args(annotation) or (None,)
        return [_build(item, v) for v in value]
    return value


def _dump(value: Any) -> Any:
    if isinstance(value, _BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _install_stand_ins() -> None:
    litellm = types.ModuleType("litellm")

    def completion(*_args: Any, **_kwargs: Any) -> Any:
        raise ExportError("the exporter calls no model")

    litellm.completion = completion  # type: ignore[attr-defined]
    pydantic = types.ModuleType("pydantic")
    pydantic.BaseModel = _BaseModel  # type: ignore[attr-defined]
    sys.modules["litellm"] = litellm
    sys.modules["pydantic"] = pydantic


# --- export ------------------------------------------------------------------


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def _dumps(value: Any) -> str:
    # The pack's JSON files (but the databases, copied as upstream wrote them):
    # json.dumps with indent=1, ASCII only, no trailing newline.
    return json.dumps(value, indent=1)


def export_domain(src: str, out: str, domain: str) -> list[str]:
    import importlib

    module_name, class_name, splits = DOMAINS[domain]
    env_class = getattr(importlib.import_module(module_name), class_name)
    data_dir = os.path.join(src, "tau_bench", "envs", domain, "data")
    written: list[str] = []
    env = None
    for split in splits:
        env = env_class(user_strategy="human", task_split=split, task_index=0)
        rel = f"{domain}/tasks_{split}.json"
        _write(os.path.join(out, rel), _dumps([task.model_dump() for task in env.tasks]))
        written.append(rel)
    assert env is not None
    for table, rows in env.data.items():
        # The database files are copied byte for byte; check they are what the env loaded.
        file = os.path.join(data_dir, f"{table}.json")
        with open(file, encoding="utf-8") as f:
            if json.load(f) != rows:
                raise ExportError(f"{file}: differs from the {domain} env's {table!r} table")
        rel = f"{domain}/{table}.json"
        os.makedirs(os.path.join(out, domain), exist_ok=True)
        shutil.copyfile(file, os.path.join(out, rel))
        written.append(rel)
    for rel, text in (
        (f"{domain}/wiki.md", env.wiki),
        (f"{domain}/rules.json", _dumps(env.rules)),
        (f"{domain}/tools.json", _dumps(env.tools_info)),
    ):
        _write(os.path.join(out, rel), text)
        written.append(rel)
    return written


def export_pack(src: str, out: str, with_historical: bool) -> list[str]:
    src = os.path.abspath(src)
    if not os.path.isdir(os.path.join(src, "tau_bench", "envs")):
        raise ExportError(f"{src}: no tau_bench/envs here (expected a sierra-research/tau-bench checkout)")
    if os.path.exists(out) and os.listdir(out):
        raise ExportError(f"{out}: not empty (the export writes a fresh pack)")
    historical = os.path.join(src, HISTORICAL)
    if with_historical and not os.path.isfile(historical):
        raise ExportError(f"{historical}: missing (--with-historical needs the full upstream checkout)")
    _install_stand_ins()
    sys.dont_write_bytecode = True  # leave the checkout as it was
    sys.path.insert(0, src)
    from tau_bench.envs.user import LLMUserSimulationEnv

    written: list[str] = []
    for domain in DOMAINS:
        written += export_domain(src, out, domain)
    # The llm user strategy's system prompt, with the bare placeholder as its instruction.
    _write(os.path.join(out, "user_simulator_prompt.txt"), LLMUserSimulationEnv.build_system_prompt(None, "{instruction}"))
    written.append("user_simulator_prompt.txt")
    shutil.copyfile(os.path.join(src, "LICENSE"), os.path.join(out, "LICENSE"))
    written.append("LICENSE")
    if with_historical:
        os.makedirs(os.path.join(out, "historical"), exist_ok=True)
        shutil.copyfile(historical, os.path.join(out, "historical", "gpt-4o-airline.json"))
        written.append("historical/gpt-4o-airline.json")
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Export the tau-bench pack from the upstream Python source.")
    parser.add_argument("--src", required=True, help="sierra-research/tau-bench checkout (the folder holding tau_bench/)")
    parser.add_argument("--out", required=True, help="pack folder to write (must be empty or absent)")
    parser.add_argument(
        "--with-historical",
        action="store_true",
        help=f"also copy {HISTORICAL} into historical/",
    )
    args = parser.parse_args(argv)
    if sys.version_info < (3, 10):
        print("export-tau-pack: needs Python 3.10+ (tau_bench uses match statements)", file=sys.stderr)
        return 1
    try:
        written = export_pack(args.src, args.out, args.with_historical)
    except ExportError as e:
        print(f"export-tau-pack: {e}", file=sys.stderr)
        return 1
    for rel in sorted(written):
        print(rel)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
