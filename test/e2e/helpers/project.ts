// The e2e harness: a Pulumi project in a temp directory, driven by the REAL `pulumi` CLI
// (scripts/cli/pulumi-cli.js finds it; scripts/cli/pulumi-inline.js serves the program because
// the Go module proxy has no Node.js language host: docs/decisions/0010-real-pulumi-cli.md).
// Every run is offline and non-interactive: a file backend and PULUMI_HOME inside the project
// directory, passphrase secrets, no update check, no plugin download.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const INLINE = path.join(REPO_ROOT, "scripts", "cli", "pulumi-inline.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cliFinder = require(path.join(REPO_ROOT, "scripts", "cli", "pulumi-cli.js")) as {
  findPulumiCli(opts: {
    build: boolean;
    npm: boolean;
  }): { binary: string; version: string; source: string } | undefined;
  offlineEnv(opts: {
    binary: string;
    home: string;
    stateDir: string;
    passphrase: string;
  }): Record<string, string>;
  NOT_FOUND_HELP: string;
};

export interface PulumiCli {
  binary: string;
  version: string;
  source: string;
}

let found: PulumiCli | undefined;

/** The CLI for the e2e suite. Missing is a failure, never a skip (`npm test` builds it first). */
export function requireCli(): PulumiCli {
  found ??= cliFinder.findPulumiCli({ build: false, npm: false });
  if (!found) {
    throw new Error(
      `${cliFinder.NOT_FOUND_HELP}\nRun \`node scripts/cli/pulumi-cli.js ensure\` (npm test does it in pretest).`,
    );
  }
  return found;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout then stderr, for "does the user see X anywhere" assertions. */
  all: string;
}

export interface ProjectOptions {
  /** The program's source, written to `main` (YAML: Pulumi.yaml's lines after name and runtime). */
  program: string;
  /**
   * nodejs (default): the program is served by scripts/cli/pulumi-inline.js. yaml: the CLI runs
   * it with the YAML language host next to the pulumi binary (scripts/cli/pulumi-cli.js ensure).
   */
  runtime?: "nodejs" | "yaml";
  /** The program file: index.js (CommonJS JavaScript, the default) or index.ts. */
  main?: "index.js" | "index.ts";
  /** More files of the project, by path relative to its directory. */
  files?: Record<string, string>;
  /** The folder whose node_modules the project uses (default: this repository's). */
  nodeModulesFrom?: string;
  stack?: string;
  projectName?: string;
  passphrase?: string;
}

/** Passphrase of the e2e stacks (a test secret, not a credential). */
export const E2E_PASSPHRASE = "wacht-e2e-passphrase";

export class E2eProject {
  readonly stack: string;
  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
    stack: string,
    readonly main: string,
    private readonly header: string | undefined,
  ) {
    this.stack = stack;
  }

  static async create(opts: ProjectOptions): Promise<E2eProject> {
    const cli = requireCli();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-e2e-"));
    const name = opts.projectName ?? "wacht-e2e";
    const yaml = opts.runtime === "yaml";
    const header = `name: ${name}\nruntime: ${yaml ? "yaml" : "nodejs"}\n`;
    const main = yaml ? "Pulumi.yaml" : (opts.main ?? "index.js");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), header);
    fs.writeFileSync(path.join(dir, main), yaml ? header + opts.program : opts.program);
    for (const [rel, content] of Object.entries(opts.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    const modules = path.join(opts.nodeModulesFrom ?? REPO_ROOT, "node_modules");
    fs.symlinkSync(modules, path.join(dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(dir, ".state"));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) {
      // The child is a user's shell: no jest/ts-node hooks, no ambient Wacht credentials.
      if (k.startsWith("WACHT_") || k.startsWith("JEST_") || k === "NODE_OPTIONS") delete env[k];
    }
    Object.assign(
      env,
      cliFinder.offlineEnv({
        binary: cli.binary,
        home: path.join(dir, ".pulumi-home"),
        stateDir: path.join(dir, ".state"),
        passphrase: opts.passphrase ?? E2E_PASSPHRASE,
      }),
      { NO_COLOR: "1" },
    );
    const project = new E2eProject(dir, env, opts.stack ?? "e2e", main, yaml ? header : undefined);
    const init = await project.run(["stack", "init", project.stack, "--non-interactive"]);
    if (init.code !== 0) throw new Error(`pulumi stack init failed:\n${init.all}`);
    return project;
  }

  /** Replaces the program. */
  setProgram(source: string): void {
    fs.writeFileSync(path.join(this.dir, this.main), (this.header ?? "") + source);
  }

  /** The CLI and its arguments for `pulumi <args>`: a YAML program runs on the CLI itself. */
  private command(args: string[]): [string, string[]] {
    if (this.header !== undefined) return [requireCli().binary, args];
    return [process.execPath, [INLINE, "--program", this.main, "--", ...args]];
  }

  /** Writes (or, with `undefined`, deletes) a file of the project. */
  writeFile(rel: string, content: string | undefined): void {
    const file = path.join(this.dir, rel);
    if (content === undefined) fs.rmSync(file, { force: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  }

  /** Runs `pulumi <args>` to completion. Never throws on a non-zero exit: assert on `code`. */
  run(
    args: string[],
    opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
  ): Promise<RunResult> {
    const [file, argv] = this.command(args);
    return new Promise((resolve, reject) => {
      execFile(
        file,
        argv,
        {
          cwd: this.dir,
          env: { ...this.env, ...opts.env },
          timeout: opts.timeoutMs ?? 240_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const e = err as (Error & { code?: number | string; killed?: boolean }) | null;
          if (e && typeof e.code !== "number") {
            reject(new Error(`pulumi ${args.join(" ")}: ${e.message}\n${stdout}\n${stderr}`));
            return;
          }
          resolve({
            code: e ? (e.code as number) : 0,
            stdout,
            stderr,
            all: `${stdout}\n${stderr}`,
          });
        },
      );
    });
  }

  /** Starts `pulumi <args>` in its own process group, for interrupting it. */
  start(args: string[]): { child: ChildProcess; output: () => string; done: Promise<number> } {
    const [file, argv] = this.command(args);
    const child = spawn(file, argv, {
      cwd: this.dir,
      env: this.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    const done = new Promise<number>((resolve) =>
      child.on("exit", (code, signal) =>
        resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)),
      ),
    );
    return { child, output: () => out, done };
  }

  /** `pulumi config set [--secret] key value`. */
  async config(key: string, value: string, secret = false): Promise<void> {
    const args = ["config", "set", key, value, ...(secret ? ["--secret"] : [])];
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`pulumi config set ${key} failed:\n${r.all}`);
  }

  /** The stack's state as `pulumi stack export` prints it (raw text and parsed). */
  async exportState(): Promise<{ text: string; deployment: StackDeployment }> {
    const r = await this.run(["stack", "export"]);
    if (r.code !== 0) throw new Error(`pulumi stack export failed:\n${r.all}`);
    const { deployment } = JSON.parse(r.stdout) as { deployment: Partial<StackDeployment> };
    return { text: r.stdout, deployment: { ...deployment, resources: deployment.resources ?? [] } };
  }

  /** Outputs of the resource named `name` in the exported state. */
  async outputsOf(name: string): Promise<Record<string, unknown>> {
    const { deployment } = await this.exportState();
    const r = deployment.resources.find(
      (x) => x.urn.endsWith(`::${name}`) && x.type.startsWith("pulumi-nodejs:dynamic"),
    );
    if (!r) throw new Error(`no resource named ${name} in the state`);
    return r.outputs ?? {};
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  /** True for a resource the program only reads (`Resource.get`). */
  external?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface StackDeployment {
  resources: StateResource[];
  pending_operations?: Array<{ type: string; resource: StateResource }>;
}
