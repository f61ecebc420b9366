"""Start-up (issue 17): the methods `@dataclass` generates, compiled once, not in every process.

Python 3.11's dataclasses writes the source of `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` ... of every class and compiles it with exec() at import: about 0.6 ms a class,
~50 ms for the ~80 classes a batch run imports (a third of its import time). `.pyc` files do
not help, since the source is made at run time. This keeps the compiled code like a `.pyc`
does: in the package's `__pycache__`, keyed on the exact source text and the interpreter's
bytecode version, written only where Python itself writes bytecode. The functions made from
it are the ones exec() would make (same code, same globals), so behaviour is unchanged; a
source text not in the cache is compiled as before.

Only for CPython 3.11 (other versions generate the methods differently): elsewhere nothing
is changed. Any problem reading or writing the cache means: no cache.
"""

from __future__ import annotations

import atexit
import dataclasses
import marshal
import os
import sys
from types import CodeType
from typing import Any

_CACHE_NAME = "_dataclasses.{tag}.bin"
_MAX_ENTRIES = 3000  # beyond this (source edits over time) only what this run used is kept


def install() -> None:
    """Compile dataclass methods from the cache (CPython 3.11 only; else nothing)."""
    original = getattr(dataclasses, "_create_fn", None)
    if (sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11)
            or original is None or getattr(original, "_zelfscan", False)
            or getattr(getattr(original, "__code__", None), "co_varnames", ())[:6]
            != ("name", "args", "body", "globals", "locals", "return_type")
            or sys.dont_write_bytecode and not os.path.isfile(_cache_path())):
        return
    try:
        from importlib.util import MAGIC_NUMBER
    except ImportError:  # pragma: no cover - always there in CPython
        return
    cache = _Cache(_cache_path(), MAGIC_NUMBER)
    dataclasses._create_fn = patched(original, cache)  # type: ignore[attr-defined]
    if not sys.dont_write_bytecode:
        atexit.register(cache.save, os.getpid())


def patched(original: Any, cache: _Cache) -> Any:
    """dataclasses._create_fn of CPython 3.11 with exec(txt) replaced by exec(the code of
    txt from `cache`): the same text, compiled with the same (no) future flags."""
    missing = dataclasses.MISSING

    def _create_fn(name: str, args: Any, body: Any, *, globals: Any = None,
                   locals: Any = None, return_type: Any = missing) -> Any:
        if globals is None:  # never from 3.11's callers; exec would use other globals
            return original(name, args, body, globals=globals, locals=locals,
                            return_type=return_type)
        if locals is None:
            locals = {}
        return_annotation = ""
        if return_type is not missing:
            locals["_return_type"] = return_type
            return_annotation = "->_return_type"
        args = ",".join(args)
        body = "\n".join(f"  {b}" for b in body)
        txt = f" def {name}({args}){return_annotation}:\n{body}"
        local_vars = ", ".join(locals.keys())
        txt = f"def __create_fn__({local_vars}):\n{txt}\n return {name}"
        ns: dict[str, Any] = {}
        exec(cache.code(txt), globals, ns)  # noqa: S102 - dataclasses' own source, as it does
        return ns["__create_fn__"](**locals)

    _create_fn._zelfscan = True  # type: ignore[attr-defined]
    _create_fn.original = original  # type: ignore[attr-defined]
    return _create_fn


def _cache_path() -> str:
    return os.path.join(os.path.dirname(__file__), "__pycache__",
                        _CACHE_NAME.format(tag=sys.implementation.cache_tag))


class _Cache:
    def __init__(self, path: str, magic: bytes) -> None:
        self.path, self.magic = path, magic
        self.codes: dict[str, Any] = {}
        self.used: set[str] = set()
        self.new = False
        try:
            with open(path, "rb") as fh:
                raw = fh.read()  # marshal.loads of the bytes: load() on a file is ~5x slower
            if raw[:len(magic)] == magic:
                codes = marshal.loads(raw[len(magic):])
                if isinstance(codes, dict):
                    self.codes = codes
        except (OSError, ValueError, EOFError, TypeError):
            pass

    def code(self, txt: str) -> Any:
        self.used.add(txt)
        code = self.codes.get(txt)
        if type(code) is not CodeType:  # not there (or a damaged entry): compile it
            code = self.codes[txt] = compile(txt, "<string>", "exec", 0, True)
            self.new = True
        return code

    def save(self, pid: int) -> None:
        """At exit of the process that installed it (not of a forked worker), when a class
        was compiled that the cache did not hold."""
        if not self.new or os.getpid() != pid:
            return
        codes = self.codes if len(self.codes) <= _MAX_ENTRIES else \
            {k: v for k, v in self.codes.items() if k in self.used}
        tmp = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(self.magic + marshal.dumps(codes))
            os.replace(tmp, self.path)  # never a half-written cache, also with two writers
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except OSError:
                pass
