"""Import a directory of a project's modules (its ``proofs/``) by path, as a package named after the directory."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

from derive.errors import UnsupportedError


def _locations(module: ModuleType) -> list[Path]:
    """The directories a package was imported from (none for a plain module)."""
    return [Path(p).resolve() for p in getattr(module, "__path__", ())]


def import_directory(directory: str | os.PathLike[str]) -> ModuleType:
    """Import ``directory`` as a package named after it: ``./myproofs`` becomes the package ``myproofs``.

    The directory's parent is put at the front of ``sys.path`` (unless it is on it already), as pytest's
    ``prepend`` import mode does, so the package's modules import each other as ``myproofs.x`` or
    relatively. A relative path is taken from the working directory.

    Parameters
    ----------
    directory : str or path
        A directory whose name is a Python identifier, usually with an ``__init__.py``.

    Returns
    -------
    module
        The package (imported once; a second call returns the same module).

    Raises
    ------
    UnsupportedError
        When ``directory`` is not a directory, its name is not an identifier, or a package of the same name
        from another place is imported already (or comes first on ``sys.path``).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "loader_demo"
    >>> root.mkdir(); _ = (root / "__init__.py").write_text("ANSWER = 42\\n")
    >>> import_directory(root).ANSWER
    42
    >>> import_directory(root.parent / "missing")
    Traceback (most recent call last):
    ...
    derive.errors.UnsupportedError: no directory .../missing
    """
    path = Path(directory).resolve()
    if not path.is_dir():
        raise UnsupportedError(f"no directory {path}")
    name = path.name
    if not name.isidentifier():
        raise UnsupportedError(f"{path}: the directory's name {name!r} is not a Python package name")
    module = sys.modules.get(name)
    if module is None:
        parent = str(path.parent)
        if parent not in sys.path:
            sys.path.insert(0, parent)
        importlib.invalidate_caches()
        module = importlib.import_module(name)
    found = _locations(module)
    if path not in found:
        where = ", ".join(map(str, found)) or getattr(module, "__file__", None) or "a built-in module"
        raise UnsupportedError(f"cannot import {path} as the package {name!r}: {name!r} is {where}")
    return module


def import_submodule(directory: str | os.PathLike[str], name: str) -> ModuleType | None:
    """Import the module ``name`` of the package at ``directory`` (see :func:`import_directory`), if it exists.

    Parameters
    ----------
    directory : str or path
        The package's directory.
    name : str
        A module of the package: ``name.py`` or a subpackage ``name/``.

    Returns
    -------
    module or None
        ``None`` when the directory has no such module (nothing is imported then).

    Raises
    ------
    UnsupportedError
        As :func:`import_directory`.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "submodule_demo"
    >>> root.mkdir(); _ = (root / "__init__.py").write_text(""); _ = (root / "extra.py").write_text("X = 1\\n")
    >>> import_submodule(root, "extra").X, import_submodule(root, "absent")
    (1, None)
    """
    path = Path(directory)
    if not (path / f"{name}.py").is_file() and not (path / name / "__init__.py").is_file():
        return None
    package = import_directory(path)
    return importlib.import_module(f"{package.__name__}.{name}")


__all__ = ["import_directory", "import_submodule"]
