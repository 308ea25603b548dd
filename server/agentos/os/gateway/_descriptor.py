"""The descriptor set the transcoder reads, and the services it lists.

``make generate`` writes ``agentos_descriptor.binpb`` next to the generated stubs (with imports
and source info), so the gateway always transcodes exactly the contract the server was built
from. The list of services comes from the file itself rather than from a hard-coded list, so a
service added to the protos is exposed over REST without touching the gateway.

Envoy turns a gRPC error into a JSON ``google.rpc.Status`` body only if ``google.rpc.Status``
and every detail type it meets (``ErrorInfo``, ``BadRequest``, ``ResourceInfo``, ...) are in
the descriptor set; otherwise it sends the HTTP status with an empty body. The contract's
protos do not import them (details travel as ``Any``), so :meth:`DescriptorSet.write_for_envoy`
adds ``google/rpc/status.proto`` and ``google/rpc/error_details.proto`` (with their imports)
from the protobuf runtime to the copy of the set Envoy reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from google.protobuf import descriptor as _descriptor
from google.protobuf import descriptor_pb2

DESCRIPTOR_NAME = "agentos_descriptor.binpb"
# Packages of imported dependencies (annotations, well-known types), never services to expose.
_FOREIGN_PREFIXES = ("google.", "grpc.")


def default_descriptor_set() -> Path:
    """The descriptor set generated next to ``agentos.v1``'s stubs."""
    from agentos.v1 import agent_os_pb2

    path = Path(agent_os_pb2.__file__).with_name(DESCRIPTOR_NAME)
    if not path.is_file():
        raise FileNotFoundError(
            f"the REST gateway needs the descriptor set {str(path)!r}; run `make generate`"
        )
    return path


@dataclass(frozen=True, slots=True)
class DescriptorSet:
    """A loaded descriptor set: its path and the full names of the services it defines."""

    path: Path
    services: tuple[str, ...]
    files: tuple[descriptor_pb2.FileDescriptorProto, ...] = ()

    @classmethod
    def load(cls, path: str | Path | None = None) -> DescriptorSet:
        file = Path(path) if path is not None else default_descriptor_set()
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise FileNotFoundError(f"cannot read descriptor set {str(file)!r}: {exc.strerror}") from None
        try:
            files = descriptor_pb2.FileDescriptorSet.FromString(data).file
        except Exception as exc:  # protobuf raises DecodeError, a private subclass on some runtimes
            raise ValueError(f"{str(file)!r} is not a protobuf FileDescriptorSet: {exc}") from None
        services = tuple(
            f"{proto.package}.{service.name}" if proto.package else service.name
            for proto in files
            if not proto.package.startswith(_FOREIGN_PREFIXES)
            for service in proto.service
        )
        if not services:
            raise ValueError(f"descriptor set {str(file)!r} defines no services")
        return cls(path=file.resolve(), services=services, files=tuple(files))

    def select(self, wanted: tuple[str, ...] | None) -> tuple[str, ...]:
        """``wanted`` checked against the set (None: all), so a typo fails at start-up."""
        if wanted is None:
            return self.services
        unknown = [name for name in wanted if name not in self.services]
        if unknown:
            raise ValueError(f"services not in the descriptor set {str(self.path)!r}: {', '.join(unknown)}")
        return wanted

    def write_for_envoy(self, path: Path) -> Path:
        """Write the set plus the ``google.rpc`` error types Envoy needs (see the module docstring)."""
        combined = descriptor_pb2.FileDescriptorSet(file=list(self.files))
        present = {proto.name for proto in self.files}
        for file in _error_type_files():
            _add_with_dependencies(file, combined, present)
        path.write_bytes(combined.SerializeToString())
        return path


def _error_type_files() -> list[_descriptor.FileDescriptor]:
    from google.rpc import error_details_pb2, status_pb2  # type: ignore[import-untyped, unused-ignore]

    return [status_pb2.DESCRIPTOR, error_details_pb2.DESCRIPTOR]


def _add_with_dependencies(
    file: _descriptor.FileDescriptor, into: descriptor_pb2.FileDescriptorSet, present: set[str]
) -> None:
    """Append ``file`` after its imports (Envoy builds the files in order), each once."""
    if file.name in present:
        return
    for dependency in file.dependencies:
        _add_with_dependencies(dependency, into, present)
    proto = descriptor_pb2.FileDescriptorProto()
    file.CopyToProto(proto)
    into.file.append(proto)
    present.add(file.name)
