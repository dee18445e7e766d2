// Native-host harness: starts the `wacht` provider plugin through its launcher
// (plugin/pulumi-resource-wacht, as the engine starts it: the engine's address as the argument,
// the port read from the first stdout line) and drives it over gRPC as the engine does. The
// "engine" is a fake Engine service in this process that records the Log requests, so a test
// sees each warning with the URN it was attached to. Values are sent plain (the plugin answers
// acceptSecrets=false, so the engine would strip secrets) and returned as they came, secret
// markers included (`isSecret`, `reveal`).
import { spawn } from "node:child_process";
import * as path from "node:path";
import type * as grpcT from "@grpc/grpc-js";
import type * as engineRpcT from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePbT from "@pulumi/pulumi/proto/engine_pb";
import type * as provrpcT from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provprotoT from "@pulumi/pulumi/proto/provider_pb";
import type * as structT from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyT from "google-protobuf/google/protobuf/empty_pb";
import {
  decodeInitFailed,
  RpcError,
  SECRET_SIG,
  SECRET_SIG_VALUE,
  stripUndefined,
  type Props,
} from "./engine-host";

/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string): string => require.resolve(id, { paths: [pulumiDir] });
const grpc = require(fromPulumi("@grpc/grpc-js")) as typeof grpcT;
const structpb = require(fromPulumi("google-protobuf/google/protobuf/struct_pb")) as typeof structT;
const emptypb = require(fromPulumi("google-protobuf/google/protobuf/empty_pb")) as typeof emptyT;
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof provrpcT;
const provproto = require("@pulumi/pulumi/proto/provider_pb") as typeof provprotoT;
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof engineRpcT;
/* eslint-enable @typescript-eslint/no-require-imports */

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const LAUNCHER = path.join(REPO_ROOT, "plugin", "pulumi-resource-wacht");
export const NATIVE_USER = "wacht:index:User";
export const NATIVE_CENSUS = "wacht:index:UserCensus";

/** The URN of a native resource named `name`. */
export function nativeUrn(name: string, type = NATIVE_USER): string {
  return `urn:pulumi:test::wacht-native::${type}::${name}`;
}

/** A value the plugin marked secret. */
export function isSecret(value: unknown): boolean {
  return (
    value !== null && typeof value === "object" && (value as Props)[SECRET_SIG] === SECRET_SIG_VALUE
  );
}

/** `props` with the secret markers removed (each secret replaced by its value). */
export function reveal(props: Props): Props {
  return Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k, isSecret(v) ? (v as Props)["value"] : v]),
  );
}

/** A Log request the plugin sent to the engine. */
export interface LoggedMessage {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

const SEVERITIES = ["debug", "info", "warning", "error"] as const;

/** The detailed diff's kinds, by the protocol's numbers. */
const KINDS = ["add", "add-replace", "delete", "delete-replace", "update", "update-replace"];

export interface NativeDiff {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  /** Property → kind (`update`, `add`, `update-replace`, …); undefined without a detailed diff. */
  detailed: Record<string, string> | undefined;
}

export interface NativeHost {
  readonly pid: number;
  /** What the plugin logged to the engine, in arrival order. */
  readonly logs: LoggedMessage[];
  /** Everything the plugin wrote to stderr (and to stdout after the port). */
  output(): string;
  getPluginInfo(): Promise<string>;
  getSchema(): Promise<Props>;
  checkConfig(news: Props): Promise<{ inputs: Props; failures: string[] }>;
  diffConfig(olds: Props, news: Props): Promise<NativeDiff>;
  configure(args: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }>;
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: string[] }>;
  diff(urn: string, id: string, olds: Props, news: Props): Promise<NativeDiff>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(
    urn: string,
    id: string,
    properties: Props,
    inputs?: Props,
  ): Promise<{ id: string; properties: Props; inputs: Props | undefined }>;
  update(urn: string, id: string, olds: Props, news: Props): Promise<Props>;
  delete(urn: string, id: string, properties: Props): Promise<void>;
  invoke(tok: string, args: Props): Promise<{ result: Props; failures: string[] }>;
  close(): Promise<void>;
}

function toStruct(value: Props): structT.Struct {
  return structpb.Struct.fromJavaScript(
    stripUndefined(value) as Record<string, structT.JavaScriptValue>,
  );
}

function detailedOf(res: provprotoT.DiffResponse): Record<string, string> {
  const out: Record<string, string> = {};
  res.getDetaileddiffMap().forEach((diff, key) => (out[key] = KINDS[diff.getKind()] ?? "?"));
  return out;
}

const fromStruct = (value: structT.Struct | undefined): Props => value?.toJavaScript() ?? {};

/** A fake engine: only Log, recorded. */
async function startFakeEngine(
  logs: LoggedMessage[],
): Promise<{ address: string; server: grpcT.Server }> {
  const server = new grpc.Server();
  server.addService(enginerpc.EngineService, {
    log: (
      call: grpcT.ServerUnaryCall<enginePbT.LogRequest, emptyT.Empty>,
      callback: grpcT.sendUnaryData<emptyT.Empty>,
    ) => {
      const req = call.request;
      logs.push({
        severity: SEVERITIES[req.getSeverity()] ?? "error",
        message: req.getMessage(),
        urn: req.getUrn(),
      });
      callback(null, new emptypb.Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { address: `127.0.0.1:${port}`, server };
}

/**
 * Starts the plugin through its launcher (the repository's, or `launcher`: e.g. the one of an
 * installed tarball), with `env` over this process's (undefined removes a variable).
 */
export async function startNativeHost(
  env: Record<string, string | undefined> = {},
  launcher = LAUNCHER,
): Promise<NativeHost> {
  const logs: LoggedMessage[] = [];
  const engine = await startFakeEngine(logs);
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.NODE_OPTIONS;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(launcher, [engine.address], {
    cwd: path.dirname(launcher),
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const port = await new Promise<number>((resolve, reject) => {
    let first = "";
    const timer = setTimeout(() => reject(new Error(`no port within 60 s:\n${out}`)), 60_000);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (out += chunk));
    child.stdout.on("data", (chunk: string) => {
      if (first.includes("\n")) {
        out += chunk;
        return;
      }
      first += chunk;
      const nl = first.indexOf("\n");
      if (nl < 0) return;
      out += first.slice(nl + 1);
      clearTimeout(timer);
      const p = Number(first.slice(0, nl));
      if (Number.isInteger(p) && p > 0) resolve(p);
      else reject(new Error(`first stdout line is not a port: ${JSON.stringify(first)}`));
    });
    child.once("exit", (code) => reject(new Error(`plugin exited with ${code}:\n${out}`)));
  });
  const client = new provrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  type Cb<R> = (err: grpcT.ServiceError | null, res: R) => void;
  const unary = <Req, Res>(
    name: string,
    fn: (req: Req, md: grpcT.Metadata, o: Partial<grpcT.CallOptions>, cb: Cb<Res>) => unknown,
    req: Req,
  ): Promise<Res> =>
    new Promise<Res>((resolve, reject) => {
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + 60_000 }, (err, res) =>
        err
          ? reject(
              new RpcError(
                name,
                err.code,
                err.details ?? err.message,
                decodeInitFailed(err.metadata),
              ),
            )
          : resolve(res),
      );
    });
  const failures = (list: provprotoT.CheckFailure[]): string[] =>
    list.map((f) => (f.getProperty() ? `${f.getProperty()}: ${f.getReason()}` : f.getReason()));
  const diffOf = (res: provprotoT.DiffResponse): NativeDiff => ({
    changes: (["unknown", "none", "some"] as const)[res.getChanges()] ?? "unknown",
    replaces: res.getReplacesList(),
    detailed: res.getHasdetaileddiff() ? detailedOf(res) : undefined,
  });
  const checkRequest = (urn: string, olds: Props, news: Props): provprotoT.CheckRequest => {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    return req;
  };
  const diffRequest = (urn: string, id: string, olds: Props, news: Props) => {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    return req;
  };
  let closed: Promise<void> | undefined;
  return {
    pid: child.pid!,
    logs,
    output: () => out,
    async getPluginInfo() {
      return (await unary("GetPluginInfo", client.getPluginInfo, new emptypb.Empty())).getVersion();
    },
    async getSchema() {
      const res = await unary("GetSchema", client.getSchema, new provproto.GetSchemaRequest());
      return JSON.parse(res.getSchema()) as Props;
    },
    async checkConfig(news) {
      const res = await unary(
        "CheckConfig",
        client.checkConfig,
        checkRequest("urn:pulumi:test::wacht-native::pulumi:providers:wacht::p", {}, news),
      );
      return { inputs: fromStruct(res.getInputs()), failures: failures(res.getFailuresList()) };
    },
    async diffConfig(olds, news) {
      const req = diffRequest(
        "urn:pulumi:test::wacht-native::pulumi:providers:wacht::p",
        "x",
        olds,
        news,
      );
      req.setOldInputs(toStruct(olds));
      return diffOf(await unary("DiffConfig", client.diffConfig, req));
    },
    async configure(args) {
      const req = new provproto.ConfigureRequest();
      req.setArgs(toStruct(args));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      const res = await unary("Configure", client.configure, req);
      return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
    },
    async check(urn, olds, news) {
      const res = await unary("Check", client.check, checkRequest(urn, olds, news));
      return { inputs: fromStruct(res.getInputs()), failures: failures(res.getFailuresList()) };
    },
    async diff(urn, id, olds, news) {
      return diffOf(await unary("Diff", client.diff, diffRequest(urn, id, olds, news)));
    },
    async create(urn, properties) {
      const req = new provproto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(toStruct(properties));
      const res = await unary("Create", client.create, req);
      return { id: res.getId(), properties: fromStruct(res.getProperties()) };
    },
    async read(urn, id, properties, inputs) {
      const req = new provproto.ReadRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(toStruct(properties));
      if (inputs !== undefined) req.setInputs(toStruct(inputs));
      const res = await unary("Read", client.read, req);
      return {
        id: res.getId(),
        properties: fromStruct(res.getProperties()),
        inputs: res.getInputs() === undefined ? undefined : fromStruct(res.getInputs()),
      };
    },
    async update(urn, id, olds, news) {
      const req = new provproto.UpdateRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      return fromStruct((await unary("Update", client.update, req)).getProperties());
    },
    async delete(urn, id, properties) {
      const req = new provproto.DeleteRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(toStruct(properties));
      await unary("Delete", client.delete, req);
    },
    async invoke(tok, args) {
      const req = new provproto.InvokeRequest();
      req.setTok(tok);
      req.setArgs(toStruct(args));
      const res = await unary("Invoke", client.invoke, req);
      return { result: fromStruct(res.getReturn()), failures: failures(res.getFailuresList()) };
    },
    close() {
      closed ??= (async () => {
        client.close();
        const exited = new Promise<void>((resolve) => {
          if (child.exitCode !== null) resolve();
          else child.once("exit", () => resolve());
        });
        child.kill("SIGTERM");
        await exited;
        engine.server.forceShutdown();
      })();
      return closed;
    },
  };
}
