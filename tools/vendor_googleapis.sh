#!/usr/bin/env bash
# Copies the googleapis protos our contracts import from the installed googleapis-common-protos wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
sp=$(.venv/bin/python -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__file__)))')
for f in annotations http field_behavior resource httpbody client launch_stage; do
  cp "$sp/google/api/$f.proto" third_party/googleapis/google/api/
done
for f in status code error_details; do cp "$sp/google/rpc/$f.proto" third_party/googleapis/google/rpc/; done
