"""The worked examples of docs/python.md, run in order in one namespace (notebook style)."""

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[3] / "docs" / "python.md"


def blocks():
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_doc_has_examples():
    assert len(blocks()) >= 5


def test_the_examples_run(capsys):
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    ns = {}
    for i, code in enumerate(blocks()):
        try:
            exec(compile(code, f"{DOC.name} block {i + 1}", "exec"), ns)
        except Exception as e:  # noqa: BLE001 - name the block that failed
            raise AssertionError(f"docs/python.md block {i + 1} failed: {e!r}\n{code}") from e
    out = capsys.readouterr().out
    assert "UnknownPlace from" in out
    assert "caspian-backlog" in out
