#!/usr/bin/env node
// A Node.js AgentOS client built only from the .proto contracts: @grpc/proto-loader reads proto/
// at start-up (no generated code), @grpc/grpc-js makes the calls. It exists to prove that a
// non-Python client can discover agents, stream a run, read the session back and understand the
// server's errors (google.rpc.Status details) with nothing but the published contracts.
//
// Usage:
//   node client.mjs --address HOST:PORT --agent AGENT_ID --message TEXT
//                   [--token JWT] [--user-id ID] [--session-id ID] [--output-schema JSON]
//                   [--timeout SECONDS] [--proto-root DIR]
// Each option may also come from the environment: AGENTOS_ADDRESS, AGENTOS_AGENT_ID,
// AGENTOS_MESSAGE, AGENTOS_TOKEN, AGENTOS_USER_ID, AGENTOS_SESSION_ID, AGENTOS_OUTPUT_SCHEMA,
// AGENTOS_TIMEOUT, AGENTOS_PROTO_ROOT.
//
// Output: one JSON object per line on stdout, each with a "kind":
//   {"kind":"agents", ...}   the ListAgents response
//   {"kind":"event", ...}    one per streamed RunEvent: sequence, event, payload, run_id, ...
//   {"kind":"session", ...}  the GetSession response for the run's session
//   {"kind":"runs", ...}     the ListRuns response for that session
// On a gRPC error: one {"kind":"error", ...} line on stderr (rpc, code, code_name, message and
// the decoded status details: ErrorInfo reason, BadRequest field violations, ...) and exit 1.
// Exit 2: bad command line. Exit 3: the server broke the stream contract (sequence not strictly
// increasing, or the stream ended without a terminal event).

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_REPO = path.resolve(HERE, '..', '..', '..');

const PROTO_FILES = [
  'agentos/v1/agent_os.proto',
  'agentos/v1/run_service.proto',
  'agentos/v1/sessions.proto',
];
const STATUS_FILES = ['google/rpc/status.proto', 'google/rpc/error_details.proto'];

// The oneof payloads that end a run's stream (DESIGN: every stream ends in-band).
const TERMINAL_PAYLOADS = new Set([
  'run_completed',
  'run_paused',
  'run_cancelled',
  'run_error',
  'team_run_completed',
  'team_run_paused',
  'team_run_cancelled',
  'team_run_error',
  'workflow_completed',
  'workflow_cancelled',
  'workflow_error',
]);

const CODE_NAMES = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));

class UsageError extends Error {}
class ContractError extends Error {}

class RpcFailure extends Error {
  constructor(rpc, error) {
    super(`${rpc} failed: ${error.message}`);
    this.rpc = rpc;
    this.error = error;
  }
}

function options() {
  const { values } = parseArgs({
    options: {
      address: { type: 'string' },
      agent: { type: 'string' },
      message: { type: 'string' },
      token: { type: 'string' },
      'user-id': { type: 'string' },
      'session-id': { type: 'string' },
      'output-schema': { type: 'string' },
      timeout: { type: 'string' },
      'proto-root': { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const pick = (name, envName, fallback) => values[name] ?? env[envName] ?? fallback;
  const opts = {
    address: pick('address', 'AGENTOS_ADDRESS', '127.0.0.1:50051'),
    agent: pick('agent', 'AGENTOS_AGENT_ID'),
    message: pick('message', 'AGENTOS_MESSAGE'),
    token: pick('token', 'AGENTOS_TOKEN', ''),
    userId: pick('user-id', 'AGENTOS_USER_ID', ''),
    sessionId: pick('session-id', 'AGENTOS_SESSION_ID', ''),
    outputSchema: pick('output-schema', 'AGENTOS_OUTPUT_SCHEMA', ''),
    timeoutSeconds: Number(pick('timeout', 'AGENTOS_TIMEOUT', '30')),
    protoRoot: pick('proto-root', 'AGENTOS_PROTO_ROOT', DEFAULT_REPO),
  };
  if (!opts.agent) throw new UsageError('--agent (or AGENTOS_AGENT_ID) is required');
  // An empty message is passed through on purpose: the server must reject it, not the client.
  if (opts.message === undefined) throw new UsageError('--message (or AGENTOS_MESSAGE) is required');
  if (!Number.isFinite(opts.timeoutSeconds) || opts.timeoutSeconds <= 0) {
    throw new UsageError('--timeout must be a positive number of seconds');
  }
  return opts;
}

function includeDirs(repo) {
  const dirs = [path.join(repo, 'proto'), path.join(repo, 'third_party', 'googleapis')];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) throw new UsageError(`proto include directory not found: ${dir}`);
  }
  return dirs;
}

// A protobufjs root over the same include path as proto-loader: it decodes the
// grpc-status-details-bin trailer and tells the JSON printer which fields are well-known types.
function reflectionRoot(dirs) {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (path.isAbsolute(target)) return target;
    for (const dir of dirs) {
      const full = path.join(dir, target);
      if (fs.existsSync(full)) return full;
    }
    // google/protobuf/*.proto: protobufjs ships them ("common" definitions).
    return target;
  };
  root.loadSync([...PROTO_FILES, ...STATUS_FILES], { keepCase: true });
  root.resolveAll();
  return root;
}

// -- protobuf (as decoded by proto-loader) -> plain JSON, guided by the message types ----------

function valueToJs(value) {
  if (value === null || value === undefined || !value.kind) return null;
  // protobufjs bundles the well-known types with camelCase field names whatever `keepCase` says,
  // so the set member of Value's oneof is named e.g. "stringValue"; accept both spellings.
  const inner = value[value.kind];
  switch (value.kind.replace(/_([a-z])/g, (_, c) => c.toUpperCase())) {
    case 'nullValue':
      return null;
    case 'numberValue':
    case 'stringValue':
    case 'boolValue':
      return inner;
    case 'structValue':
      return structToJs(inner);
    case 'listValue':
      return (inner?.values ?? []).map(valueToJs);
    default:
      return null;
  }
}

function structToJs(struct) {
  if (!struct) return null;
  return Object.fromEntries(Object.entries(struct.fields ?? {}).map(([k, v]) => [k, valueToJs(v)]));
}

function timestampToJs(ts) {
  if (!ts) return null;
  const millis = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(millis).toISOString();
}

function durationToJs(duration) {
  if (!duration) return null;
  // The proto3 JSON form: seconds with up to 9 fractional digits and an "s" suffix.
  const seconds = Number(duration.seconds) + (duration.nanos ?? 0) / 1e9;
  return `${Number(seconds.toFixed(9))}s`;
}

function scalarToJs(field, value) {
  if (value === null || value === undefined) return value;
  // 64-bit integers arrive as strings (longs: String); JSON numbers are exact up to 2^53.
  if (['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'].includes(field.type)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : String(value);
  }
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

function messageToJs(type, message) {
  if (message === null || message === undefined) return null;
  switch (type.fullName) {
    case '.google.protobuf.Struct':
      return structToJs(message);
    case '.google.protobuf.Value':
      return valueToJs(message);
    case '.google.protobuf.ListValue':
      return (message.values ?? []).map(valueToJs);
    case '.google.protobuf.Timestamp':
      return timestampToJs(message);
    case '.google.protobuf.Duration':
      return durationToJs(message);
    default:
      break;
  }
  const out = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined) continue;
    const convert = (v) =>
      field.resolvedType instanceof protobuf.Type ? messageToJs(field.resolvedType, v) : scalarToJs(field, v);
    if (field.map) {
      out[field.name] = Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, convert(v)]));
    } else if (field.repeated) {
      out[field.name] = (value ?? []).map(convert);
    } else {
      out[field.name] = convert(value);
    }
  }
  for (const oneof of type.oneofsArray) {
    // With `oneofs: true`, proto-loader names the set member of each oneof (e.g. payload).
    if (typeof message[oneof.name] === 'string') out[oneof.name] = message[oneof.name];
  }
  return out;
}

// -- errors -----------------------------------------------------------------------------------

function decodeStatusDetails(root, error) {
  const raw = error.metadata?.get('grpc-status-details-bin') ?? [];
  if (raw.length === 0) return null;
  const Status = root.lookupType('google.rpc.Status');
  const status = Status.decode(raw[0]);
  const details = status.details.map((any) => {
    const typeName = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
    let detailType;
    try {
      detailType = root.lookupType(typeName);
    } catch {
      return { '@type': any.type_url, undecoded: Buffer.from(any.value).toString('base64') };
    }
    const decoded = detailType.toObject(detailType.decode(any.value), {
      longs: String,
      enums: String,
      defaults: true,
    });
    return { '@type': typeName, ...decoded };
  });
  return { code: status.code, message: status.message, details };
}

function reportRpcError(root, failure) {
  const { error } = failure;
  const status = decodeStatusDetails(root, error);
  const details = status?.details ?? [];
  const errorInfo = details.find((d) => d['@type'] === 'google.rpc.ErrorInfo');
  const badRequest = details.find((d) => d['@type'] === 'google.rpc.BadRequest');
  const report = {
    kind: 'error',
    rpc: failure.rpc,
    code: error.code,
    code_name: CODE_NAMES[error.code] ?? 'UNKNOWN_CODE',
    message: error.details ?? error.message,
    reason: errorInfo?.reason ?? null,
    domain: errorInfo?.domain ?? null,
    field_violations: (badRequest?.field_violations ?? []).map((v) => ({
      field: v.field,
      description: v.description,
    })),
    details,
  };
  process.stderr.write(`${JSON.stringify(report)}\n`);
}

// -- calls ------------------------------------------------------------------------------------

function deadline(opts) {
  return new Date(Date.now() + opts.timeoutSeconds * 1000);
}

function callMetadata(opts) {
  const metadata = new grpc.Metadata();
  if (opts.token) metadata.set('authorization', `Bearer ${opts.token}`);
  return metadata;
}

function unary(client, rpc, request, opts) {
  return new Promise((resolve, reject) => {
    client[rpc](request, callMetadata(opts), { deadline: deadline(opts) }, (error, response) => {
      if (error) reject(new RpcFailure(rpc, error));
      else resolve(response);
    });
  });
}

function emit(record) {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

async function streamRun(client, root, opts) {
  const RunEvent = root.lookupType('agentos.v1.RunEvent');
  const request = {
    agent_id: opts.agent,
    message: opts.message,
    stream_events: true,
  };
  if (opts.userId) request.user_id = opts.userId;
  if (opts.sessionId) request.session_id = opts.sessionId;
  if (opts.outputSchema) request.output_schema = opts.outputSchema;
  const call = client.StreamRun(request, callMetadata(opts), { deadline: deadline(opts) });
  let rootRunId = null;
  let sessionId = opts.sessionId;
  let lastSequence = -1;
  let terminal = null;
  try {
    for await (const event of call) {
      const sequence = Number(event.sequence);
      const payload = event.payload ?? null;
      rootRunId ??= event.parent_run_id ? null : event.run_id;
      sessionId ||= event.session_id;
      const record = {
        kind: 'event',
        sequence,
        event: event.event,
        payload,
        run_id: event.run_id,
        parent_run_id: event.parent_run_id,
        session_id: event.session_id,
        agent_id: event.agent_id,
      };
      if (payload === 'run_content' || payload === 'team_run_content') {
        record.content = valueToJs(event[payload].content);
      } else if (payload) {
        record.data = messageToJs(RunEvent.fields[payload].resolvedType, event[payload]);
      }
      emit(record);
      if (event.run_id === rootRunId && sequence <= lastSequence) {
        throw new ContractError(`sequence ${sequence} after ${lastSequence}: not strictly increasing`);
      }
      if (event.run_id === rootRunId) lastSequence = sequence;
      if (terminal === null && TERMINAL_PAYLOADS.has(payload) && event.run_id === rootRunId) {
        terminal = record;
      } else if (terminal !== null && event.run_id === rootRunId) {
        throw new ContractError(`event ${payload} (sequence ${sequence}) after the terminal event`);
      }
    }
  } catch (error) {
    if (error instanceof ContractError) {
      call.cancel();
      throw error;
    }
    throw new RpcFailure('StreamRun', error);
  }
  if (terminal === null) throw new ContractError('the stream ended without a terminal event');
  return { runId: rootRunId, sessionId };
}

async function main() {
  const opts = options();
  const dirs = includeDirs(opts.protoRoot);
  const definition = protoLoader.loadSync(PROTO_FILES, {
    includeDirs: dirs,
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const root = reflectionRoot(dirs);
  const api = grpc.loadPackageDefinition(definition).agentos.v1;
  const credentials = grpc.credentials.createInsecure();
  const agentOS = new api.AgentOSService(opts.address, credentials);
  const runs = new api.RunService(opts.address, credentials);
  const sessions = new api.SessionService(opts.address, credentials);
  try {
    const agents = await unary(agentOS, 'ListAgents', {}, opts);
    emit({ kind: 'agents', ...messageToJs(root.lookupType('agentos.v1.ListAgentsResponse'), agents) });

    const { runId, sessionId } = await streamRun(runs, root, opts);

    const session = await unary(sessions, 'GetSession', { session_id: sessionId }, opts);
    emit({ kind: 'session', ...messageToJs(root.lookupType('agentos.v1.GetSessionResponse'), session) });

    const listed = await unary(runs, 'ListRuns', { session_id: sessionId, order_by: 'created_at' }, opts);
    emit({
      kind: 'runs',
      run_id: runId,
      ...messageToJs(root.lookupType('agentos.v1.ListRunsResponse'), listed),
    });
  } catch (error) {
    if (error instanceof RpcFailure) {
      reportRpcError(root, error);
      return 1;
    }
    throw error;
  } finally {
    agentOS.close();
    runs.close();
    sessions.close();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UsageError || String(error?.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`usage error: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof ContractError) {
      process.stderr.write(`stream contract violated: ${error.message}\n`);
      process.exitCode = 3;
    } else {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exitCode = 4;
    }
  },
);
