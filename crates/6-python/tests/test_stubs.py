"""The type stubs name exactly what the module exposes."""

import ast
import pathlib

import oxarray as ox

ALIASES = {"DTypeLike", "Scalar", "ArrayLike", "ShapeLike", "Index", "PathLike", "Axes"}


def stub_names(tree):
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and node.level == 1:  # submodules: `from . import linalg as linalg`
            names.update(a.asname for a in node.names if a.asname)
    return names


def test_stubs_match_the_module():
    stub = pathlib.Path(ox.__file__).with_name("__init__.pyi")
    tree = ast.parse(stub.read_text())
    names = stub_names(tree)
    public = {n for n in dir(ox) if not n.startswith("_")}
    assert public - names == set(), "exposed but not in the stubs"
    assert names - public - ALIASES - {n for n in names if n.startswith("__")} == set(), "stubbed but not exposed"
    methods = {n.name for c in tree.body if isinstance(c, ast.ClassDef) and c.name == "Array" for n in c.body
               if isinstance(n, ast.FunctionDef)}
    assert {m for m in dir(ox.Array) if not m.startswith("_")} <= methods | {"T", "mT"}


def test_linalg_stubs_match_the_submodule():
    stub = pathlib.Path(ox.__file__).with_name("linalg.pyi")
    names = stub_names(ast.parse(stub.read_text()))
    public = {n for n in dir(ox.linalg) if not n.startswith("_")}
    assert public == names
