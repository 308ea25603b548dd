"""Generate the Python stubs and the descriptor set from proto/agentos/v1.

Why a script rather than a Makefile rule: the test suite needs the very same generation to
check that the committed stubs are not stale (``--check``), and generation must be
reproducible: it writes into a scratch directory first and only replaces files whose bytes
changed, so a second run touches nothing.

Usage: python tools/generate.py [--check]
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"
THIRD_PARTY = ROOT / "third_party" / "googleapis"
OUT_ROOT = ROOT / "generated"
PACKAGE_DIR = Path("agentos") / "v1"
DESCRIPTOR_NAME = "agentos_descriptor.binpb"


def _protos() -> list[str]:
    return sorted(str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / PACKAGE_DIR).glob("*.proto"))


def _run_protoc(out_dir: Path) -> None:
    from grpc_tools import protoc

    well_known = str(resources.files("grpc_tools") / "_proto")
    pkg_out = out_dir / PACKAGE_DIR
    pkg_out.mkdir(parents=True, exist_ok=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{THIRD_PARTY}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        "--include_imports",
        "--include_source_info",
        f"--descriptor_set_out={pkg_out / DESCRIPTOR_NAME}",
        *_protos(),
    ]
    code = protoc.main(args)
    if code != 0:
        raise SystemExit(f"protoc failed with exit code {code}")


def _generated_files(base: Path) -> set[Path]:
    pkg = base / PACKAGE_DIR
    if not pkg.exists():
        return set()
    return {p.relative_to(base) for p in pkg.iterdir() if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the committed stubs are stale")
    opts = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        _run_protoc(scratch)
        fresh = _generated_files(scratch)
        current = _generated_files(OUT_ROOT)
        stale = sorted(
            str(rel)
            for rel in fresh
            if rel not in current or not filecmp.cmp(scratch / rel, OUT_ROOT / rel, shallow=False)
        )
        extra = sorted(str(rel) for rel in current - fresh)
        if opts.check:
            if stale or extra:
                print("generated/ is stale; run `make generate`.", file=sys.stderr)
                for name in stale:
                    print(f"  differs or missing: {name}", file=sys.stderr)
                for name in extra:
                    print(f"  no longer generated: {name}", file=sys.stderr)
                return 1
            print("generated/ is up to date")
            return 0
        (OUT_ROOT / PACKAGE_DIR).mkdir(parents=True, exist_ok=True)
        for name in stale:
            shutil.copyfile(scratch / name, OUT_ROOT / name)
        for name in extra:
            (OUT_ROOT / name).unlink()
        print(f"generated/: {len(stale)} updated, {len(extra)} removed, {len(fresh) - len(stale)} unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
