"""The stubs shipped in the wheel match the runtime."""

from __future__ import annotations

import ast
import inspect
import pathlib
from typing import Dict, Set

import vivamo
import vivamo._native as native

PACKAGE = pathlib.Path(vivamo.__file__).parent


def stub_names() -> Dict[str, Set[str]]:
    """Top-level names of the stubs -> the member names of each class."""
    out: Dict[str, Set[str]] = {}
    for source in ("_native.pyi", "_errors.py"):
        tree = ast.parse((PACKAGE / source).read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                members = set()
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        members.add(item.name)
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        members.add(item.target.id)
                    elif isinstance(item, ast.Assign):
                        members.update(t.id for t in item.targets if isinstance(t, ast.Name))
                out[node.name] = members
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out[node.name] = set()
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                out[node.target.id] = set()
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        out[t.id] = set()
    return out


def test_py_typed_and_stubs_ship() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_native.pyi").exists()


def test_every_public_name_is_in_the_stubs() -> None:
    stubs = stub_names()
    public = set(vivamo.__all__) | {n for n in dir(vivamo) if not n.startswith("_")}
    public -= {"annotations"}
    modules = {n for n in public if inspect.ismodule(getattr(vivamo, n))}
    missing = sorted(public - modules - set(stubs))
    assert not missing, f"not in the stubs: {missing}"
    assert set(vivamo.__all__) <= public


def test_native_classes_match_their_stubs() -> None:
    stubs = stub_names()
    for name in dir(native):
        obj = getattr(native, name)
        if not inspect.isclass(obj):
            continue
        assert name in stubs, name
        runtime = {m for m in vars(obj) if not m.startswith("_")}
        stub = {m for m in stubs[name] if not m.startswith("_")}
        assert runtime == stub, f"{name}: runtime-only {runtime - stub}, stub-only {stub - runtime}"
        # Dunder protocols the stubs promise exist at runtime.
        for dunder in {m for m in stubs[name] if m.startswith("__") and m != "__new__"}:
            assert hasattr(obj, dunder), f"{name}.{dunder}"
    for name in dir(native):
        if callable(getattr(native, name)) and not inspect.isclass(getattr(native, name)):
            assert name in stubs, name
