#!/usr/bin/env node
// `npm run demo`: a real `pulumi up` of examples/basic (the root Pulumi.yaml program) against the
// local Wacht emulator, seeded with the example's users (kept in .demo/emulator-state.json, so a
// second run shows a no-op). The Pulumi CLI is found or built by scripts/cli/pulumi-cli.js (Go
// module proxy → ~/.cache/pulumi-wacht) and runs offline: a file backend and PULUMI_HOME under
// .demo/, passphrase secrets, no Pulumi Cloud login, no update check, no plugin download. A
// preflight (scripts/preflight.js) first proves in a few seconds that the engine can start the
// provider, and stops with the fix when it cannot.
// Only on a machine with neither Go nor internet does it fall back to the engine-path harness
// (scripts/demo-offline.ts), and it says so.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { findPulumiCli, offlineEnv, NOT_FOUND_HELP } = require("./cli/pulumi-cli");
const { preflight, PreflightError } = require("./preflight");

const root = path.resolve(__dirname, "..");
const demoDir = path.join(root, ".demo");
const stack = process.env.DEMO_STACK || "demo";
const apiKey = "sk_demo0000000000000000000000000000000000000000";
const inline = path.join(__dirname, "cli", "pulumi-inline.js");
const program = path.join("examples", "basic", "index.ts");

function runOffline() {
  console.error(
    [
      "",
      NOT_FOUND_HELP,
      "",
      "Falling back to the engine-path harness: the same program under the real Pulumi serializer",
      "and the real dynamic-provider host, driven over gRPC the way the engine drives them",
      "(scripts/demo-offline.ts). This is NOT a `pulumi up`.",
      "",
    ].join("\n"),
  );
  const offline = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(root, "scripts", "demo-offline.ts")],
    { cwd: root, stdio: "inherit", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } },
  );
  process.exitCode = offline.status ?? 1;
}

async function main() {
  const cli = findPulumiCli({ build: true, npm: true });
  if (!cli) {
    runOffline();
    return;
  }
  // A few seconds that prove the engine can start the provider, before the demo's own run.
  for (const line of await preflight({ cli })) console.log(line);
  fs.mkdirSync(path.join(demoDir, "state"), { recursive: true });

  const { startEmulator } = require(path.join(root, "dist", "emulator"));
  const seed = JSON.parse(
    fs.readFileSync(path.join(root, "examples", "basic", "seed-users.json"), "utf8"),
  );
  const emulator = await startEmulator({
    port: Number(process.env.DEMO_EMULATOR_PORT || 8787),
    apiKey,
    seed,
    stateFile: path.join(demoDir, "emulator-state.json"),
  });
  console.log(`Wacht emulator listening on ${emulator.url}\n`);

  const env = {
    ...process.env,
    ...offlineEnv({
      binary: cli.binary,
      home: path.join(demoDir, "pulumi-home"),
      stateDir: path.join(demoDir, "state"),
      passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "wacht-demo",
    }),
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  // Asynchronous on purpose: the emulator answers from this process's event loop.
  const pulumi = async (args, opts = {}) => {
    const shown = `pulumi ${args.join(" ")}`.replace(apiKey, "[secret]");
    if (!opts.quiet) console.log(`$ ${shown}`);
    const child = spawn(process.execPath, [inline, "--program", program, "--", ...args], {
      cwd: root,
      env,
      stdio: opts.quiet ? "ignore" : "inherit",
    });
    const status = await new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
    if (status !== 0 && !opts.allowFailure) throw new Error(`${shown} failed (exit ${status})`);
    return status;
  };
  try {
    const selected = await pulumi(["stack", "select", stack, "--non-interactive"], {
      allowFailure: true,
      quiet: true,
    });
    if (selected !== 0) {
      await pulumi([
        "stack",
        "init",
        stack,
        "--secrets-provider",
        "passphrase",
        "--non-interactive",
      ]);
    }
    await pulumi(["config", "set", "--secret", "wacht:apiKey", apiKey], { quiet: true });
    await pulumi(["config", "set", "wacht:baseUrl", emulator.url], { quiet: true });
    await pulumi(["up", "--yes", "--refresh", "--diff", "--non-interactive"]);
    console.log("");
    await pulumi(["stack", "output", "--json"]);
  } finally {
    await emulator.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  if (err instanceof PreflightError)
    console.error("Preflight failed: the demo cannot run until this is fixed.");
  process.exitCode = 1;
});
