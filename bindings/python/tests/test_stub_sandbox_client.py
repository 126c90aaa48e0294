"""The stubs of ``Sandbox.client`` / ``Sandbox.async_client`` take every option of
``vivamo.Client`` / ``vivamo.AsyncClient``, with the same types: the README documents
``client(**options)`` as taking the client's options, and ``mypy --strict`` users see the stub.

Reads the stub the installed wheel ships (``vivamo/_native.pyi``), not the source tree."""

import ast
from pathlib import Path
from typing import Dict, List

import pytest

import vivamo


def _stub_methods() -> Dict[str, Dict[str, ast.FunctionDef]]:
    stub = Path(vivamo.__file__).parent / "_native.pyi"
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    classes: Dict[str, Dict[str, ast.FunctionDef]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = {
                f.name: f for f in node.body if isinstance(f, ast.FunctionDef)
            }
    return classes


def _options(function: ast.FunctionDef) -> List[tuple]:
    """(name, annotation) of every parameter but ``self`` / ``cls``."""
    args = function.args
    params = args.posonlyargs + args.args + args.kwonlyargs
    return [
        (a.arg, ast.unparse(a.annotation) if a.annotation else None)
        for a in params
        if a.arg not in ("self", "cls")
    ]


@pytest.mark.parametrize(
    ("method", "client_class"),
    [("client", "Client"), ("async_client", "AsyncClient")],
)
def test_sandbox_client_takes_every_client_option(method: str, client_class: str) -> None:
    classes = _stub_methods()
    wanted = _options(classes[client_class]["__new__"])
    got = _options(classes["Sandbox"][method])
    assert got == wanted, f"Sandbox.{method} stub {got} != {client_class}(...) {wanted}"


def test_the_module_accepts_them_too() -> None:
    from vivamo.testing import Sandbox

    with Sandbox() as sandbox:
        with sandbox.client(
            log_level="off", proxy=None, ca_bundle=None, max_idle_connections=4
        ) as client:
            assert client.customers.list().total == 0
