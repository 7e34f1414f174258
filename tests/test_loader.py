"""A directory of a project's modules is imported by path, as the package named after the directory."""

import sys

import pytest

from derive.document.loader import import_directory, import_submodule
from derive.errors import UnsupportedError


def _package(root, name, files):
    folder = root / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def test_a_users_directory_imports_as_its_package(tmp_path, isolated_imports):
    folder = _package(tmp_path, "myproofs", {
        "__init__.py": "",
        "helpers.py": "VALUE = 3\n",
        "first.py": "from myproofs.helpers import VALUE\nfrom . import helpers\nBOTH = (VALUE, helpers.VALUE)\n",
    })
    package = import_directory(folder)
    assert package.__name__ == "myproofs" and import_directory(folder) is package
    assert import_submodule(folder, "first").BOTH == (3, 3)
    assert import_submodule(folder, "absent") is None


def test_a_relative_path_is_taken_from_the_working_directory(tmp_path, isolated_imports, monkeypatch):
    _package(tmp_path, "relproofs", {"__init__.py": "X = 1\n"})
    monkeypatch.chdir(tmp_path)
    assert import_directory("relproofs").X == 1


def test_a_subpackage_is_a_submodule(tmp_path, isolated_imports):
    folder = _package(tmp_path, "nested", {"__init__.py": ""})
    _package(folder, "inner", {"__init__.py": "Y = 2\n"})
    assert import_submodule(folder, "inner").Y == 2


def test_a_missing_directory_or_module(tmp_path, isolated_imports):
    with pytest.raises(UnsupportedError, match="no directory"):
        import_directory(tmp_path / "nowhere")
    assert import_submodule(tmp_path / "nowhere", "vocabulary") is None


def test_a_name_that_is_not_a_package_name(tmp_path, isolated_imports):
    folder = _package(tmp_path, "my-proofs", {"__init__.py": ""})
    with pytest.raises(UnsupportedError, match="not a Python package name"):
        import_directory(folder)


def test_a_package_of_the_same_name_from_elsewhere(tmp_path, isolated_imports):
    import json

    folder = _package(tmp_path, "json", {"__init__.py": "MINE = True\n"})
    with pytest.raises(UnsupportedError, match="cannot import .* as the package 'json'"):
        import_directory(folder)
    assert sys.modules["json"] is json
