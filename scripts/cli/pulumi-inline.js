#!/usr/bin/env node
// Runs the real `pulumi` CLI on a Node.js program WITHOUT the `pulumi-language-nodejs` host, which
// the Go module proxy does not serve (docs/decisions/0010-real-pulumi-cli.md). It does what the
// Automation API does for inline programs: this process serves the program over the
// LanguageRuntime gRPC service (the SDK's own LanguageServer) and the CLI is pointed at it with
// `--client=127.0.0.1:PORT`. Everything else is the real CLI with the caller's own arguments, so
// its output, prompts-off behaviour and exit codes are exactly what a user sees.
//
//   node scripts/cli/pulumi-inline.js --program examples/basic/index.ts -- up --yes --refresh
//
// The working directory is the project directory: it must hold Pulumi.yaml and a node_modules
// with @pulumi/pulumi (the program's own copy is used, and the engine starts the dynamic-provider
// plugin there). Commands that run no program (stack, config, ...) are passed straight through.
// Exits with the CLI's exit code; SIGINT/SIGTERM are forwarded to the CLI.
//
// Nothing it runs reaches the internet on its own: it supplies this project's dynamic-provider
// launcher when the CLI has none (scripts/cli/pulumi-cli.js supplyLauncher; otherwise the engine
// would try to download a `pulumi-nodejs` plugin from GitHub), never falls back to the `pulumi`
// npm package (which downloads a CLI), and turns off the CLI's update check unless
// PULUMI_SKIP_UPDATE_CHECK is set. The backend is the caller's (`pulumi login`,
// PULUMI_BACKEND_URL).
"use strict";
const { spawn } = require("node:child_process");
const os = require("node:os");
const path = require("node:path");
const { findPulumiCli, supplyLauncher, NOT_FOUND_HELP } = require("./pulumi-cli");

/** Commands that run the program, and so need the language runtime. */
const PROGRAM_COMMANDS = new Set(["up", "update", "preview", "pre", "refresh", "destroy", "down"]);

function parseArgs(argv) {
  const sep = argv.indexOf("--");
  const own = sep === -1 ? [] : argv.slice(0, sep);
  const pulumiArgs = sep === -1 ? argv : argv.slice(sep + 1);
  let program;
  for (let i = 0; i < own.length; i++) {
    if (own[i] === "--program") program = own[++i];
    else throw new Error(`unknown option ${own[i]} (usage: --program FILE -- <pulumi args>)`);
  }
  return { program, pulumiArgs };
}

/** The program as the LanguageServer wants it: a function whose result becomes stack outputs. */
function loadProgram(file, projectDir) {
  const resolved = path.resolve(file);
  if (/\.tsx?$/.test(resolved)) {
    const tsNode = require.resolve("ts-node", { paths: [projectDir, __dirname] });
    // Like Pulumi's own Node.js runtime: transpile only, as CommonJS, whatever tsconfig is near.
    require(tsNode).register({
      transpileOnly: true,
      compilerOptions: { module: "commonjs", moduleResolution: "node" },
    });
  }
  const programDir = path.dirname(resolved);
  return async () => {
    // `pulumi up` runs the program twice in this process (preview, then update): forget the
    // program's own modules so each run registers its resources again.
    for (const key of Object.keys(require.cache)) {
      if (
        key.startsWith(programDir + path.sep) &&
        !key.includes(`${path.sep}node_modules${path.sep}`)
      ) {
        delete require.cache[key];
      }
    }
    const mod = require(resolved);
    const exported = typeof mod.default === "function" ? await mod.default() : mod;
    return exported && typeof exported === "object" ? { ...exported } : exported;
  };
}

async function serveProgram(program, projectDir) {
  const from = (id) => require(require.resolve(id, { paths: [projectDir] }));
  const pulumiDir = path.dirname(
    require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }),
  );
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
  const { LanguageServer } = from("@pulumi/pulumi/automation/server");
  const langrpc = from("@pulumi/pulumi/proto/language_grpc_pb");
  const runtime = from("@pulumi/pulumi/runtime");
  const server = new grpc.Server({ ...runtime.grpcChannelOptions });
  const languageServer = new LanguageServer(program);
  server.addService(langrpc.LanguageRuntimeService, languageServer);
  const port = await new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    close(hasError) {
      try {
        languageServer.onPulumiExit(hasError);
      } finally {
        server.forceShutdown();
      }
    },
  };
}

async function main() {
  const { program, pulumiArgs } = parseArgs(process.argv.slice(2));
  const cli = findPulumiCli({ build: false, npm: false, trustExplicit: true });
  if (!cli) throw new Error(`${NOT_FOUND_HELP}\n(run \`node scripts/cli/pulumi-cli.js ensure\`)`);
  const env = { PULUMI_SKIP_UPDATE_CHECK: "true", ...process.env };
  supplyLauncher(cli, env);
  const projectDir = process.cwd();
  const args = [...pulumiArgs];
  let served;
  if (program && PROGRAM_COMMANDS.has(pulumiArgs[0])) {
    served = await serveProgram(loadProgram(program, projectDir), projectDir);
    args.push(`--client=${served.address}`, "--exec-kind", "auto.inline");
  }
  const child = spawn(cli.binary, args, { stdio: "inherit", env });
  const forward = (signal) => () => child.kill(signal);
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  const code = await new Promise((resolve) => {
    child.on("exit", (status, signal) =>
      resolve(status ?? 128 + (os.constants.signals[signal] ?? 0)),
    );
    child.on("error", (err) => {
      console.error(`cannot start ${cli.binary}: ${err.message}`);
      resolve(1);
    });
  });
  if (served) {
    try {
      served.close(code !== 0);
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(code === 0 ? 1 : code);
    }
  }
  process.exit(code);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
