"""Zelfscan never touches the network, and keeps answers private on disk.

A full batch run over every example with every way of opening a socket made to fail; and
the files holding answers are readable by their owner only.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from wizard.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[:2]!r}")
            raise OSError(f"netwerk geblokkeerd in de test: {name}")
        return blocked

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            attempts.append(f"socket.socket{args[:2]!r}")
            raise OSError("netwerk geblokkeerd in de test: socket.socket")

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "create_server", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    return attempts


def test_the_guard_itself_catches_a_connection(no_network):
    # Otherwise a broken guard would make the real test pass for nothing.
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    assert no_network, "de blokkade registreerde niets"


@pytest.mark.timeout(120)
def test_batch_over_all_examples_opens_no_socket(no_network, tmp_path, capsys):
    assert len(EXAMPLES) >= 3, "examples/*.yaml ontbreken"
    out = tmp_path / "uit"
    code = main(["batch", *map(str, EXAMPLES), "-o", str(out)])
    _, err = capsys.readouterr()
    assert code == 0, err
    assert no_network == [], f"poging tot netwerkverkeer: {no_network}"
    plans = sorted(out.rglob("plan.html"))
    assert len(plans) == len(EXAMPLES)
    for plan in plans:
        html = plan.read_text(encoding="utf-8")
        # Standalone: nothing to fetch when the plan is opened either.
        assert "http://" not in html.split("<body", 1)[0] and "https://" not in html.split(
            "<body", 1)[0]
        assert "<script" not in html.lower() and "<link " not in html.lower()
    if os.name == "posix":
        for answers in out.rglob("antwoorden.yaml"):
            assert stat.S_IMODE(answers.stat().st_mode) == 0o600, answers


def test_save_answers_writes_0600_even_with_a_permissive_umask(tmp_path):
    from wizard.answers.store import load_answers, save_answers
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    answers = load_answers(EXAMPLES[0], q)
    target = tmp_path / "sessie.yaml"
    old = os.umask(0)
    try:
        save_answers(answers, target, q)
        # Also when replacing a file that was world-readable.
        target.chmod(0o666)
        save_answers(answers, target, q)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert load_answers(target, q).values == answers.values
