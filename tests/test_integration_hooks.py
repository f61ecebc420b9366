"""The features wired into render/batch: Word files, privacy open points, --vorige, the
regional overview. Each test runs the real code path and reads the files it writes."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from wizard.answers import load_answers
from wizard.loader import load_questionnaire
from wizard.render import write_outputs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(None)


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


# --------------------------------------------------------------------------- Word

def test_word_files_are_written_private_and_deterministic(q, tmp_path):
    src = EXAMPLES / "welderbroek.yaml"
    a, b = tmp_path / "a", tmp_path / "b"
    paths = write_outputs(q, load_answers(src, q), a)
    write_outputs(q, load_answers(src, q), b)
    assert {"plan.docx", "bijlage-vertrouwelijk.docx"} <= {p.name for p in paths}
    for name in ("plan.docx", "bijlage-vertrouwelijk.docx"):
        assert zipfile.is_zipfile(a / name)
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "bijlage-vertrouwelijk.docx").stat().st_mode & 0o077 == 0
    assert (a / "plan.docx").stat().st_mode & 0o044 == 0o044  # public: shareable
    plan = _docx_text(a / "plan.docx")
    assert "Openstaande punten" in plan and "Welderbroek" in plan
    assert "VERTROUWELIJK" in _docx_text(a / "bijlage-vertrouwelijk.docx")


def test_word_counts_for_the_overwrite_check_and_public_only(q, tmp_path):
    from wizard.errors import ZelfscanError

    answers = load_answers(EXAMPLES / "welderbroek.yaml", q)
    write_outputs(q, answers, tmp_path)
    for name in tmp_path.iterdir():
        if name.name != "plan.docx":
            name.unlink()
    with pytest.raises(ZelfscanError, match="plan.docx"):
        write_outputs(q, answers, tmp_path)
    paths = write_outputs(q, answers, tmp_path, force=True, public_only=True)
    assert "plan.docx" in {p.name for p in paths}
    assert not (tmp_path / "bijlage-vertrouwelijk.docx").exists()


def test_importing_render_does_not_import_docx():
    code = "import sys, wizard.render; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "False"
