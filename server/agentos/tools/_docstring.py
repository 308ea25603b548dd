"""Docstring parsing: the function description and per-parameter descriptions.

Tools are described to the model from their docstrings, so users write ordinary Python
documentation instead of hand-written JSON schemas. Google (``Args:``), NumPy
(``Parameters`` + dashes) and reST (``:param x:``) styles are understood; anything else just
yields the first paragraph as the description.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

# Google-style section headers. Only "Args"-like sections carry parameter descriptions; the
# others matter because they end the description and the Args section.
_GOOGLE_ARGS = {"args", "arguments", "parameters", "params", "keyword args", "keyword arguments", "kwargs"}
_GOOGLE_OTHER = {
    "returns",
    "return",
    "yields",
    "yield",
    "raises",
    "raise",
    "examples",
    "example",
    "notes",
    "note",
    "see also",
    "attributes",
    "warnings",
    "warning",
    "references",
    "todo",
}
_GOOGLE_HEADER = re.compile(r"^\s*([A-Za-z][A-Za-z ]*):\s*$")
_GOOGLE_ITEM = re.compile(r"^\s*\**([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_NUMPY_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
_NUMPY_ITEM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(.*))?$")
_REST_FIELD = re.compile(r"^\s*:([A-Za-z]+)(?:\s+([^:]+?))?\s*:\s*(.*)$")


@dataclass(slots=True)
class ParsedDocstring:
    """What a docstring says about a function and its parameters."""

    description: str | None = None
    params: dict[str, str] = field(default_factory=dict)


def parse_docstring(doc: str | None) -> ParsedDocstring:
    """Parse ``doc`` (already-cleaned or raw) into a description and parameter descriptions."""
    if not doc:
        return ParsedDocstring()
    lines = inspect.cleandoc(doc).splitlines()
    body_end = _first_section_line(lines)
    description = _first_paragraph(lines[:body_end])
    params: dict[str, str] = {}
    params.update(_parse_rest(lines))
    params.update(_parse_numpy(lines))
    params.update(_parse_google(lines))
    return ParsedDocstring(description=description, params=params)


def _first_section_line(lines: list[str]) -> int:
    """Index of the first line that starts a section (Google, NumPy or reST field)."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        header = _GOOGLE_HEADER.match(line)
        if header and header.group(1).strip().lower() in _GOOGLE_ARGS | _GOOGLE_OTHER:
            return i
        if i + 1 < len(lines) and stripped and _NUMPY_UNDERLINE.match(lines[i + 1]):
            return i
        if _REST_FIELD.match(line):
            return i
    return len(lines)


def _first_paragraph(lines: list[str]) -> str | None:
    paragraph: list[str] = []
    for line in lines:
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph) or None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _parse_google(lines: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    in_args = False
    section_indent = 0
    item_indent: int | None = None
    current: str | None = None
    for line in lines:
        header = _GOOGLE_HEADER.match(line)
        if header and header.group(1).strip().lower() in _GOOGLE_ARGS | _GOOGLE_OTHER:
            in_args = header.group(1).strip().lower() in _GOOGLE_ARGS
            section_indent = _indent(line)
            item_indent = None
            current = None
            continue
        if not in_args:
            continue
        if not line.strip():
            continue
        indent = _indent(line)
        if indent <= section_indent:  # dedent back to the section level ends the section
            in_args = False
            current = None
            continue
        if item_indent is None or indent <= item_indent:
            match = _GOOGLE_ITEM.match(line)
            if match:
                item_indent = indent
                current = match.group(1)
                params[current] = match.group(3).strip()
                continue
        if current is not None:  # continuation line of the current item
            params[current] = f"{params[current]} {line.strip()}".strip()
    return params


def _parse_numpy(lines: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    i = 0
    while i < len(lines):
        title = lines[i].strip().lower()
        if i + 1 < len(lines) and _NUMPY_UNDERLINE.match(lines[i + 1]) and title in _GOOGLE_ARGS:
            i += 2
            current: str | None = None
            while i < len(lines):
                line = lines[i]
                if i + 1 < len(lines) and line.strip() and _NUMPY_UNDERLINE.match(lines[i + 1]):
                    break  # next section
                if line.strip() and _indent(line) == 0:
                    match = _NUMPY_ITEM.match(line.strip())
                    current = match.group(1) if match else None
                    if current is not None:
                        params[current] = ""
                elif line.strip() and current is not None:
                    params[current] = f"{params[current]} {line.strip()}".strip()
                i += 1
            continue
        i += 1
    return params


def _parse_rest(lines: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    current: str | None = None
    for line in lines:
        match = _REST_FIELD.match(line)
        if match:
            kind, arg, text = match.group(1).lower(), match.group(2), match.group(3)
            current = None
            if kind in {"param", "parameter", "arg", "argument", "key", "keyword"} and arg:
                # ":param int x: ..." puts the type before the name.
                name = arg.split()[-1]
                params[name] = text.strip()
                current = name
            continue
        if current is not None and line.strip() and _indent(line) > 0:
            params[current] = f"{params[current]} {line.strip()}".strip()
        elif not line.strip():
            current = None
    return params
