#!/usr/bin/env node
// Preflight of the real-CLI routes (`npm test`'s e2e tests, `npm run test:e2e`, `npm run demo`):
// in a few seconds, before anything long runs, it proves that the engine can start this
// package's provider and that the provider gets answers from the local emulator, and otherwise
// fails at once with the fix (docs/decisions/0015-first-contact.md).
//
// It runs `pulumi up --skip-preview` of one `wacht.User` (an existing user, so the provider's
// create is one GET) in a scratch project, through the real CLI and scripts/cli/pulumi-inline.js,
// offline, exactly as the e2e tests and the demo do.
//
//   node scripts/preflight.js        prints what it checked (stderr); exit 1 with the fix
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const {
  findPulumiCli,
  supplyLauncher,
  describe,
  offlineEnv,
  NOT_FOUND_HELP,
} = require("./cli/pulumi-cli");

const root = path.resolve(__dirname, "..");
const inline = path.join(__dirname, "cli", "pulumi-inline.js");
const API_KEY = "sk_preflight_0000000000000000000000000000000000";
const USER_ID = "310000000000000042";
const RUN_TIMEOUT_MS = 120_000;

class PreflightError extends Error {}

const PROGRAM = `const wacht = require("pulumi-wacht");
new wacht.User("preflight", { userId: "${USER_ID}" });
`;

/** What a failed run's output means, and what to do. */
function diagnose(output, cli, supplied) {
  if (/no resource plugin 'pulumi-resource-pulumi-nodejs' found/.test(output)) {
    return [
      "The engine found no dynamic-provider launcher (pulumi-resource-pulumi-nodejs), although this",
      `project supplied ${supplied.launcher}.`,
      `This CLI (${cli.version}) looks for plugins elsewhere. Use a Pulumi CLI downloaded from`,
      "pulumi.com (it ships the launcher) with PULUMI_CLI=/path/to/pulumi, or unset PULUMI_CLI and",
      "take a `pulumi` without plugins off PATH so that the cached build is used (`npm run pulumi-cli`).",
    ].join("\n");
  }
  if (/cannot resolve @pulumi\/pulumi\/cmd\/dynamic-provider/.test(output)) {
    return "The launcher cannot find @pulumi/pulumi: run `npm install` in this repository.";
  }
  if (/Cannot find module 'pulumi-wacht/.test(output)) {
    return "The provider cannot load this package by name: run `npm run build && node scripts/link-self.js`.";
  }
  if (/ECONNREFUSED|connect .*127\.0\.0\.1/.test(output)) {
    return "The provider could not reach the local emulator on 127.0.0.1: is loopback networking blocked?";
  }
  return "The run failed; its output is above.";
}

function requireBuilt() {
  const emulatorModule = path.join(root, "dist", "emulator", "index.js");
  if (!fs.existsSync(emulatorModule)) {
    throw new PreflightError("dist/ is not built: run `npm run build`.");
  }
  try {
    require.resolve("pulumi-wacht/provider-impl", { paths: [root] });
  } catch {
    throw new PreflightError(
      "`pulumi-wacht` does not resolve in this repository: run `node scripts/link-self.js`.",
    );
  }
  try {
    require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [root] });
  } catch {
    throw new PreflightError("@pulumi/pulumi is not installed: run `npm install`.");
  }
  return require(emulatorModule);
}

function run(args, dir, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [inline, "--program", "index.js", "--", ...args], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(preflight: no result after ${RUN_TIMEOUT_MS / 1000} s; stopped it)`;
      child.kill("SIGINT");
    }, RUN_TIMEOUT_MS);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/**
 * Runs the preflight. Resolves with the lines it reports; rejects with a PreflightError whose
 * message says what failed and what to do.
 */
async function preflight({ cli } = {}) {
  const started = Date.now();
  cli = cli ?? findPulumiCli({ build: false, npm: false });
  if (!cli) throw new PreflightError(`${NOT_FOUND_HELP}\nThen run \`npm run pulumi-cli\`.`);
  const { startEmulator } = requireBuilt();

  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "wacht-preflight-")));
  const emulator = await startEmulator({
    port: 0,
    apiKey: API_KEY,
    seed: [{ id: USER_ID, email: "preflight@example.com" }],
    rateLimitPerMinute: false,
  });
  try {
    const answer = await fetch(`${emulator.url}/users/${USER_ID}/details`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    }).catch((err) => ({ status: 0, err }));
    if (answer.status !== 200) {
      throw new PreflightError(
        `The local emulator does not answer on ${emulator.url} (${answer.err ?? answer.status}).`,
      );
    }
    emulator.clearRequests();

    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: wacht-preflight\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(dir, ".state"));
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("WACHT_")) delete env[k];
    Object.assign(
      env,
      offlineEnv({
        binary: cli.binary,
        home: path.join(dir, ".pulumi-home"),
        stateDir: path.join(dir, ".state"),
        passphrase: "preflight",
      }),
      { WACHT_API_KEY: API_KEY, WACHT_BASE_URL: emulator.url, NO_COLOR: "1" },
    );
    const supplied = supplyLauncher(cli, env);

    const init = await run(["stack", "init", "preflight", "--non-interactive"], dir, env);
    if (init.code !== 0) {
      throw new PreflightError(`${init.output}\n\`pulumi stack init\` failed (exit ${init.code}).`);
    }
    const up = await run(["up", "--yes", "--skip-preview", "--non-interactive"], dir, env);
    const read = emulator.requests().some((e) => e.method === "GET" && e.path.includes(USER_ID));
    if (up.code !== 0 || !read) {
      throw new PreflightError(
        `${up.output}\n\`pulumi up\` of one wacht.User through ${cli.binary} failed ` +
          `(exit ${up.code}${read ? "" : ", no request reached the emulator"}).\n` +
          diagnose(up.output, cli, supplied),
      );
    }
    const lines = describe(cli, supplied);
    if (/using pulumi-resource-pulumi-nodejs from \$PATH/.test(up.output)) {
      lines.push(
        `Warning: the engine printed "${/using .* from \$PATH[^\n]*/.exec(up.output)[0]}"`,
      );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    lines.push(
      `Preflight passed in ${seconds} s: the engine started the provider, which read a user from the emulator.`,
    );
    return lines;
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { preflight, PreflightError };

if (require.main === module) {
  preflight().then(
    (lines) => {
      for (const line of lines) console.error(line);
    },
    (err) => {
      console.error(err instanceof PreflightError ? err.message : err);
      console.error("Preflight failed: the e2e tests and the demo cannot run until this is fixed.");
      process.exitCode = 1;
    },
  );
}
