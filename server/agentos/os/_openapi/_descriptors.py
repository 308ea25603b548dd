"""An index over a FileDescriptorSet: messages, enums and services by full name, with comments.

Why descriptor protos rather than a ``DescriptorPool``: the pool's Python descriptors drop the
source info (the proto comments), and the comments are the documentation of the REST API. The
set that ``make generate`` writes has ``--include_source_info`` and ``--include_imports``, so
everything the contract references (well-known types, google.api annotations) is in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf import descriptor_pb2

# Field numbers of the descriptor protos, used to address locations in SourceCodeInfo.
_FILE_MESSAGE = 4
_FILE_ENUM = 5
_FILE_SERVICE = 6
_MESSAGE_FIELD = 2
_MESSAGE_NESTED = 3
_MESSAGE_ENUM = 4
_MESSAGE_ONEOF = 8
_ENUM_VALUE = 2
_SERVICE_METHOD = 2

_LINT_DIRECTIVE = "buf:lint:"


def default_descriptor_set_path() -> Path:
    """Where ``make generate`` writes the descriptor set, next to the generated stubs."""
    from agentos.v1 import runs_pb2

    return Path(runs_pb2.__file__).with_name("agentos_descriptor.binpb")


def clean_comment(raw: str) -> str:
    """A proto comment as prose: lint directives dropped, common indentation removed.

    protoc keeps the one space after ``//`` on every line; lines that are directives to buf
    (``buf:lint:ignore ...``) are instructions to a tool, not documentation, so they go.
    """
    lines = [line for line in raw.split("\n") if not line.strip().startswith(_LINT_DIRECTIVE)]
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:].rstrip() for line in lines).strip()


@dataclass(frozen=True)
class MessageInfo:
    """A message type, its file's package and the comments of it and its parts."""

    full_name: str
    proto: descriptor_pb2.DescriptorProto
    file: str
    comment: str
    field_comments: dict[str, str]
    oneof_comments: dict[str, str]


@dataclass(frozen=True)
class EnumInfo:
    """An enum type and the comments of it and its values."""

    full_name: str
    proto: descriptor_pb2.EnumDescriptorProto
    comment: str
    value_comments: dict[str, str]


@dataclass(frozen=True)
class MethodInfo:
    """One RPC, with its service's full name and its comment."""

    service: str
    proto: descriptor_pb2.MethodDescriptorProto
    comment: str

    @property
    def name(self) -> str:
        return self.proto.name

    @property
    def service_short_name(self) -> str:
        return self.service.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class ServiceInfo:
    """A service, its comment and its methods in declaration order."""

    full_name: str
    comment: str
    methods: tuple[MethodInfo, ...]

    @property
    def name(self) -> str:
        return self.full_name.rsplit(".", 1)[-1]


@dataclass
class ProtoIndex:
    """Every type of a descriptor set by full name (without the leading dot)."""

    messages: dict[str, MessageInfo] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    services: list[ServiceInfo] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path | None = None) -> ProtoIndex:
        """Loads a serialized FileDescriptorSet (by default the generated one)."""
        data = (path or default_descriptor_set_path()).read_bytes()
        return cls.from_bytes(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> ProtoIndex:
        # The google.api.http extension must be registered before parsing, or the method
        # options keep it as unknown bytes.
        from google.api import annotations_pb2  # noqa: F401

        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(data)
        return cls.from_files(fds.file)

    @classmethod
    def from_files(cls, files: Iterable[descriptor_pb2.FileDescriptorProto]) -> ProtoIndex:
        index = cls()
        for file in files:
            index._add_file(file)
        return index

    def message(self, full_name: str) -> MessageInfo:
        try:
            return self.messages[full_name.lstrip(".")]
        except KeyError:
            raise KeyError(f"message {full_name} is not in the descriptor set") from None

    def enum(self, full_name: str) -> EnumInfo:
        try:
            return self.enums[full_name.lstrip(".")]
        except KeyError:
            raise KeyError(f"enum {full_name} is not in the descriptor set") from None

    def methods(self) -> Iterator[MethodInfo]:
        for service in self.services:
            yield from service.methods

    def _add_file(self, file: descriptor_pb2.FileDescriptorProto) -> None:
        comments = {
            tuple(loc.path): clean_comment(loc.leading_comments or loc.trailing_comments)
            for loc in file.source_code_info.location
            if loc.leading_comments or loc.trailing_comments
        }
        prefix = f"{file.package}." if file.package else ""
        for i, message in enumerate(file.message_type):
            self._add_message(file.name, prefix, message, (_FILE_MESSAGE, i), comments)
        for i, enum in enumerate(file.enum_type):
            self._add_enum(prefix, enum, (_FILE_ENUM, i), comments)
        for i, service in enumerate(file.service):
            path = (_FILE_SERVICE, i)
            full_name = prefix + service.name
            methods = tuple(
                MethodInfo(full_name, method, comments.get((*path, _SERVICE_METHOD, j), ""))
                for j, method in enumerate(service.method)
            )
            self.services.append(ServiceInfo(full_name, comments.get(path, ""), methods))

    def _add_message(
        self,
        file: str,
        prefix: str,
        message: descriptor_pb2.DescriptorProto,
        path: tuple[int, ...],
        comments: dict[tuple[int, ...], str],
    ) -> None:
        full_name = prefix + message.name
        self.messages[full_name] = MessageInfo(
            full_name=full_name,
            proto=message,
            file=file,
            comment=comments.get(path, ""),
            field_comments={
                f.name: comments.get((*path, _MESSAGE_FIELD, i), "") for i, f in enumerate(message.field)
            },
            oneof_comments={
                o.name: comments.get((*path, _MESSAGE_ONEOF, i), "") for i, o in enumerate(message.oneof_decl)
            },
        )
        for i, nested in enumerate(message.nested_type):
            self._add_message(file, f"{full_name}.", nested, (*path, _MESSAGE_NESTED, i), comments)
        for i, enum in enumerate(message.enum_type):
            self._add_enum(f"{full_name}.", enum, (*path, _MESSAGE_ENUM, i), comments)

    def _add_enum(
        self,
        prefix: str,
        enum: descriptor_pb2.EnumDescriptorProto,
        path: tuple[int, ...],
        comments: dict[tuple[int, ...], str],
    ) -> None:
        full_name = prefix + enum.name
        self.enums[full_name] = EnumInfo(
            full_name=full_name,
            proto=enum,
            comment=comments.get(path, ""),
            value_comments={
                v.name: comments.get((*path, _ENUM_VALUE, i), "") for i, v in enumerate(enum.value)
            },
        )
