"""The contracts pass buf lint, the committed stubs are fresh, and every element is documented."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2

ROOT = Path(__file__).resolve().parents[3]
BUF = Path(sys.executable).parent / "buf"
DESCRIPTOR_SET = ROOT / "generated/agentos/v1/agentos_descriptor.binpb"

EXPECTED_FILES = {
    "agentos/v1/agent_os.proto",
    "agentos/v1/common.proto",
    "agentos/v1/evals.proto",
    "agentos/v1/events.proto",
    "agentos/v1/knowledge.proto",
    "agentos/v1/memories.proto",
    "agentos/v1/metrics.proto",
    "agentos/v1/run_service.proto",
    "agentos/v1/runs.proto",
    "agentos/v1/sessions.proto",
    "agentos/v1/traces.proto",
}


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    if args[0] == BUF:
        assert BUF.exists(), f"{BUF} is missing: buf-bin comes with the dev dependencies (`make install`)"
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_buf_lint_passes() -> None:
    result = _run(BUF, "lint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_buf_build_passes() -> None:
    result = _run(BUF, "build", "-o", "-#format=json")
    assert result.returncode == 0, result.stderr


def test_generated_stubs_are_up_to_date() -> None:
    result = _run(sys.executable, "tools/generate.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def _contract_files() -> list[descriptor_pb2.FileDescriptorProto]:
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(DESCRIPTOR_SET.read_bytes())
    return [f for f in fds.file if f.package == "agentos.v1"]


def test_descriptor_set_holds_every_contract_file() -> None:
    files = _contract_files()
    assert {f.name for f in files} == EXPECTED_FILES
    on_disk = {str(p.relative_to(ROOT / "proto")) for p in (ROOT / "proto").rglob("*.proto")}
    assert on_disk == EXPECTED_FILES


def _documentable(f: descriptor_pb2.FileDescriptorProto) -> Iterator[tuple[tuple[int, ...], str]]:
    """(source path, name) of every message, field, oneof, enum, enum value, service and rpc."""

    def messages(
        prefix: tuple[int, ...], protos: list[descriptor_pb2.DescriptorProto], scope: str
    ) -> Iterator[tuple[tuple[int, ...], str]]:
        for i, m in enumerate(protos):
            path, name = (*prefix, i), f"{scope}{m.name}"
            if m.options.map_entry:
                continue
            yield path, name
            for j, field in enumerate(m.field):
                yield (*path, 2, j), f"{name}.{field.name}"
            for j, oneof in enumerate(m.oneof_decl):
                if not oneof.name.startswith("_"):  # synthetic oneofs of proto3 optional
                    yield (*path, 8, j), f"{name}.{oneof.name}"
            yield from messages((*path, 3), list(m.nested_type), f"{name}.")
            yield from enums((*path, 4), list(m.enum_type), f"{name}.")

    def enums(
        prefix: tuple[int, ...], protos: list[descriptor_pb2.EnumDescriptorProto], scope: str
    ) -> Iterator[tuple[tuple[int, ...], str]]:
        for i, e in enumerate(protos):
            yield (*prefix, i), f"{scope}{e.name}"
            for j, value in enumerate(e.value):
                yield (*prefix, i, 2, j), f"{scope}{e.name}.{value.name}"

    yield from messages((4,), list(f.message_type), "")
    yield from enums((5,), list(f.enum_type), "")
    for i, service in enumerate(f.service):
        yield (6, i), service.name
        for j, method in enumerate(service.method):
            yield (6, i, 2, j), f"{service.name}.{method.name}"


@pytest.mark.parametrize("file", _contract_files(), ids=lambda f: f.name)
def test_every_element_has_a_comment(file: descriptor_pb2.FileDescriptorProto) -> None:
    comments = {tuple(loc.path): loc.leading_comments.strip() for loc in file.source_code_info.location}
    undocumented = [name for path, name in _documentable(file) if not comments.get(path)]
    assert not undocumented, f"{file.name}: add a comment to {undocumented}"
