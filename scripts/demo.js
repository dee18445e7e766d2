#!/usr/bin/env node
// `npm run demo`: starts the local Wacht emulator seeded with the example's users, points a local
// Pulumi stack at it (file backend under .demo/, passphrase secrets, no Pulumi Cloud login) and
// runs `pulumi up` of the root Pulumi.yaml program (examples/basic). The emulator keeps its users
// in .demo/emulator-state.json, so a second run shows a no-op update.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const demoDir = path.join(root, ".demo");
const stack = process.env.DEMO_STACK || "demo";
const apiKey = "sk_demo0000000000000000000000000000000000000000";

function findPulumi() {
  const candidates = [
    ["pulumi", []],
    [process.execPath, [path.join(root, "node_modules", "pulumi", "run.js")]],
  ];
  for (const [cmd, prefix] of candidates) {
    const r = spawnSync(cmd, [...prefix, "version"], { encoding: "utf8", timeout: 120_000 });
    if (r.status === 0) return { cmd, prefix, version: r.stdout.trim() };
  }
  return undefined;
}

function explainMissingCli() {
  console.error(
    [
      "",
      "The Pulumi CLI is not available, so `pulumi up` cannot run here.",
      "  - The `pulumi` npm package (a devDependency) downloads the CLI on first use; that download",
      "    failed (no internet access?).",
      "  - Install the CLI yourself: https://www.pulumi.com/docs/iac/download-install/",
      "    (e.g. `curl -fsSL https://get.pulumi.com | sh`), then run `npm run demo` again.",
      "",
      "Running the same program WITHOUT the CLI instead: the real Pulumi serializer and the real",
      "dynamic-provider host, driven over gRPC like the engine drives them (scripts/demo-offline.ts).",
      "",
    ].join("\n"),
  );
}

async function main() {
  const pulumi = findPulumi();
  if (!pulumi) {
    explainMissingCli();
    const offline = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(root, "scripts", "demo-offline.ts")],
      { cwd: root, stdio: "inherit", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } },
    );
    process.exitCode = offline.status ?? 1;
    return;
  }
  console.log(`Using Pulumi CLI ${pulumi.version}`);
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
  console.log(`Wacht emulator listening on ${emulator.url}`);

  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${path.join(demoDir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "wacht-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  const run = (args, opts = {}) => {
    const r = spawnSync(pulumi.cmd, [...pulumi.prefix, ...args], {
      cwd: root,
      env,
      stdio: opts.capture ? ["ignore", "pipe", "inherit"] : "inherit",
      encoding: "utf8",
    });
    if (r.status !== 0 && !opts.allowFailure) throw new Error(`pulumi ${args.join(" ")} failed`);
    return r;
  };
  try {
    const selected = run(["stack", "select", stack], { allowFailure: true, capture: true });
    if (selected.status !== 0) run(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    run(["config", "set", "--secret", "wacht:apiKey", apiKey]);
    run(["config", "set", "wacht:baseUrl", emulator.url]);
    run(["up", "--yes", "--refresh"]);
    console.log("\nStack outputs:");
    run(["stack", "output", "--json"]);
  } finally {
    await emulator.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
