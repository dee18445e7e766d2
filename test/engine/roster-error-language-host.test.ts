// A roster problem through the REAL Node.js language-host code (@pulumi/pulumi's cmd/run, which
// `pulumi-language-nodejs` starts for every `pulumi preview`/`up` of a Node program), against a
// stand-in engine and resource monitor over gRPC on 127.0.0.1: the program's RosterError reaches
// the engine as ONE error message, the list of `file:line:column: reason` lines, with no stack
// trace, and the program exits with the code that tells the language host the error was already
// reported (32), so the CLI prints nothing more. Before issue #21 it was "Running program … failed
// with an unhandled exception:" and the stack. (The e2e suite cannot show this path: the Go
// module proxy has no language host, so the real CLI runs programs the Automation API's way,
// whose LanguageServer prints a program's error a second time as the run's result.)
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require(
  require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }),
) as typeof import("@grpc/grpc-js");
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as {
  EngineService: import("@grpc/grpc-js").ServiceDefinition;
};
const enginePb = require("@pulumi/pulumi/proto/engine_pb") as {
  LogSeverity: Record<string, number>;
  GetRootResourceResponse: new () => { setUrn(u: string): void };
  SetRootResourceResponse: new () => object;
};
const resourceRpc = require("@pulumi/pulumi/proto/resource_grpc_pb") as {
  ResourceMonitorService: import("@grpc/grpc-js").ServiceDefinition;
};
const resourcePb = require("@pulumi/pulumi/proto/resource_pb") as {
  SupportsFeatureResponse: new () => { setHassupport(b: boolean): void };
  RegisterResourceResponse: new () => { setUrn(u: string): void };
};
const emptyPb = require("google-protobuf/google/protobuf/empty_pb") as {
  Empty: new () => object;
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Unary = (
  call: { request: Record<string, () => unknown> },
  cb: (err: unknown, res?: unknown) => void,
) => void;

interface LogEntry {
  severity: number;
  message: string;
}

async function serve(
  service: import("@grpc/grpc-js").ServiceDefinition,
  impl: Record<string, Unary>,
): Promise<{ address: string; close(): void }> {
  const server = new grpc.Server();
  // Every method answers; the ones the program does not need say UNIMPLEMENTED.
  const handlers: Record<string, Unary> = {};
  for (const name of Object.keys(service)) {
    handlers[name] =
      impl[name] ?? ((_c, cb) => cb({ code: grpc.status.UNIMPLEMENTED, details: name }));
  }
  server.addService(service, handlers as never);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { address: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
}

it("prints a roster problem once, as its message alone, and exits as already reported", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-host-"));
  const logs: LogEntry[] = [];
  let root = "";
  const engine = await serve(engineRpc.EngineService, {
    log: (call, cb) => {
      logs.push({
        severity: call.request["getSeverity"]!() as number,
        message: call.request["getMessage"]!() as string,
      });
      cb(null, new emptyPb.Empty());
    },
    getRootResource: (_c, cb) => {
      const res = new enginePb.GetRootResourceResponse();
      res.setUrn(root);
      cb(null, res);
    },
    setRootResource: (call, cb) => {
      root = call.request["getUrn"]!() as string;
      cb(null, new enginePb.SetRootResourceResponse());
    },
  });
  const monitor = await serve(resourceRpc.ResourceMonitorService, {
    supportsFeature: (_c, cb) => {
      const res = new resourcePb.SupportsFeatureResponse();
      res.setHassupport(false);
      cb(null, res);
    },
    registerResource: (call, cb) => {
      const res = new resourcePb.RegisterResourceResponse();
      res.setUrn(
        `urn:pulumi:s::p::${call.request["getType"]!() as string}::${call.request["getName"]!() as string}`,
      );
      cb(null, res);
    },
    registerResourceOutputs: (_c, cb) => cb(null, new emptyPb.Empty()),
  });
  try {
    fs.mkdirSync(path.join(dir, "users"));
    fs.writeFileSync(path.join(dir, "users", "broken.yaml"), "firstName: B\nusername: @broken\n");
    fs.writeFileSync(path.join(dir, "users", "ada.yaml"), "emailAddress: ada@example.com\n");
    fs.writeFileSync(path.join(dir, "users", "ada2.yaml"), "emailAddress: ADA@example.com\n");
    fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "p", "main": "index.js" }\n');
    fs.writeFileSync(
      path.join(dir, "index.js"),
      'const wacht = require("pulumi-wacht");\nwacht.loadRoster(require("node:path").join(__dirname, "users"));\n',
    );
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const child = spawn(
      process.execPath,
      [
        path.join(pulumiDir, "cmd", "run"),
        `--monitor=${monitor.address}`,
        `--engine=${engine.address}`,
        "--project=p",
        "--stack=s",
        "--dry-run=true",
        `--pwd=${dir}`,
        ".",
      ],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));

    const errors = logs.filter((l) => l.severity === enginePb.LogSeverity["ERROR"]);
    expect({ errors, output }).toEqual({
      errors: [
        {
          severity: enginePb.LogSeverity["ERROR"],
          message: [
            "the roster has 3 problems:",
            "  users/broken.yaml:2:11: Plain value cannot start with reserved character @",
            "  users/ada.yaml:1:15: emailAddress ada@example.com is also declared by users/ada2.yaml:1:15: one file per account (a copied file would create or claim the same account twice)",
            "  users/ada2.yaml:1:15: emailAddress ada@example.com is also declared by users/ada.yaml:1:15: one file per account (a copied file would create or claim the same account twice)",
          ].join("\n"),
        },
      ],
      output: "",
    });
    // 32: "exited after logging a user-actionable message": the language host adds nothing.
    expect(code).toBe(32);
  } finally {
    engine.close();
    monitor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
