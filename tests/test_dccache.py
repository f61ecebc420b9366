"""wizard._dccache: dataclass methods compiled from the cache are the ones exec() makes."""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest

from wizard import _dccache

pytestmark = pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11),
    reason="the cache is used on CPython 3.11 only")

MAGIC = b"test"


def _original() -> Any:
    fn = dataclasses._create_fn  # type: ignore[attr-defined]
    return getattr(fn, "original", fn)


def _shapes() -> list[type]:
    """Classes of every shape our code uses, made with whatever _create_fn is in place."""

    @dataclass(frozen=True)
    class Frozen:
        a: int
        b: str = "x"
        c: tuple = ()
        d: tuple = field(default_factory=tuple)

    @dataclass
    class Plain:
        a: int = 0
        n: ClassVar[int] = 3
        seen: list[str] = field(default_factory=list, repr=False, compare=False)

    @dataclass(order=True, unsafe_hash=True)
    class Ordered:
        x: float
        y: float = 1.5

    @dataclass(kw_only=True)
    class Keywords:
        a: int
        b: Any = None
        extra: InitVar[int] = 0

        def __post_init__(self, extra: int) -> None:
            self.b = (self.b, extra)

    @dataclass(frozen=True, slots=True)
    class Slots:
        a: int
        b: int = 2

    @dataclass(eq=False)
    class NoEq:
        a: int

    return [Frozen, Plain, Ordered, Keywords, Slots, NoEq]


def _describe(code: Any) -> tuple:
    consts = tuple(_describe(c) if hasattr(c, "co_code") else c for c in code.co_consts)
    return (code.co_code, consts, code.co_names, code.co_varnames, code.co_freevars,
            code.co_cellvars, code.co_argcount, code.co_kwonlyargcount, code.co_flags,
            code.co_qualname, code.co_filename, code.co_firstlineno)


def _methods(classes: list[type]) -> list[tuple]:
    out = []
    for cls in classes:
        for name in ("__init__", "__repr__", "__eq__", "__lt__", "__hash__", "__setattr__",
                     "__delattr__", "__getstate__", "__setstate__"):
            fn = cls.__dict__.get(name)
            if fn is None or not hasattr(fn, "__code__"):
                continue
            out.append((cls.__name__, name, _describe(fn.__code__), fn.__defaults__,
                        fn.__kwdefaults__, fn.__qualname__, fn.__globals__ is globals(),
                        repr(getattr(fn, "__annotations__", None))))
        out.append((cls.__name__, cls.__doc__))
    return out


def _behaviour(classes: list[type]) -> list[Any]:
    frozen, plain, ordered, keywords, slots, no_eq = classes
    f = frozen(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.a = 2  # type: ignore[misc]
    return [repr(f), f == frozen(1), hash(f) == hash(frozen(1)), repr(plain()),
            plain(1) == plain(1), ordered(1, 2) < ordered(2, 1), hash(ordered(1)),
            repr(keywords(a=1, extra=5)), repr(slots(1)), no_eq(1) == no_eq(1)]


def test_methods_from_the_cache_are_the_ones_exec_makes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(dataclasses, "_create_fn", _original())
    plain = _shapes()
    cache = _dccache._Cache(str(tmp_path / "c.bin"), MAGIC)
    monkeypatch.setattr(dataclasses, "_create_fn", _dccache.patched(_original(), cache))
    compiled = _shapes()  # not yet in the cache: compiled, then saved
    assert cache.new
    cache.save(os.getpid())
    loaded = _dccache._Cache(str(tmp_path / "c.bin"), MAGIC)
    assert set(loaded.codes) == set(cache.codes)
    monkeypatch.setattr(dataclasses, "_create_fn", _dccache.patched(_original(), loaded))
    cached = _shapes()  # every method from the file
    assert not loaded.new
    assert _methods(plain) == _methods(compiled) == _methods(cached)
    assert _behaviour(plain) == _behaviour(compiled) == _behaviour(cached)


def test_a_bad_or_foreign_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    for content in (b"", b"other" + b"\x00" * 10, MAGIC + b"\xff\xfe garbage",
                    MAGIC + __import__("marshal").dumps([1, 2])):
        path.write_bytes(content)
        assert _dccache._Cache(str(path), MAGIC).codes == {}
    txt = "def __create_fn__():\n def f(self):\n  return 1\n return f"
    path.write_bytes(MAGIC + __import__("marshal").dumps({txt: 5}))  # an entry that is no code
    ns: dict = {}
    exec(_dccache._Cache(str(path), MAGIC).code(txt), {}, ns)  # noqa: S102 - our own text
    assert ns["__create_fn__"]()(None) == 1


def test_only_the_installing_process_writes_and_only_when_something_is_new(tmp_path) -> None:
    path = tmp_path / "sub" / "c.bin"
    cache = _dccache._Cache(str(path), MAGIC)
    cache.save(os.getpid())
    assert not path.exists()  # nothing new
    cache.code("def __create_fn__():\n def f(self):\n  return 1\n return f")
    cache.save(os.getpid() + 1)  # a forked worker: leaves it to the parent
    assert not path.exists()
    cache.save(os.getpid())
    assert path.read_bytes().startswith(MAGIC)
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_cache_past_its_size_keeps_what_this_run_used(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(_dccache, "_MAX_ENTRIES", 2)
    path = tmp_path / "c.bin"
    cache = _dccache._Cache(str(path), MAGIC)
    for i in range(4):
        cache.code(f"def __create_fn__():\n def f(self):\n  return {i}\n return f")
    cache.save(os.getpid())
    again = _dccache._Cache(str(path), MAGIC)
    again.code("def __create_fn__():\n def f(self):\n  return 9\n return f")
    again.save(os.getpid())
    assert len(_dccache._Cache(str(path), MAGIC).codes) == 1
