"""Sections of docs/performance.md that benchmarks rewrite, each between its own markers."""

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def replace_section(name, lines):
    """Put ``lines`` between ``<!-- name:begin -->`` and ``<!-- name:end -->`` (appended when absent)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = "\n".join([begin, *lines, end])
    text = DOC.read_text(encoding="utf-8")
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
