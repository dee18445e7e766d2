// Ends a provider plugin process soon after the Pulumi engine that started it is gone. A killed CLI
// stops nothing (plugins run in a process group of their own) and a Node.js provider's gRPC server
// would keep it alive forever (docs/decisions/0015-first-contact.md, item 4). Either sign ends the
// process: its parent changed (re-parented), or its stdin, the pipe the CLI holds open for the
// plugin's whole life, reached end of file. A stdin that is no pipe or socket is not watched.
import * as fs from "node:fs";
import * as path from "node:path";

const PARENT_CHECK_MS = 1_000;

let watching = false;

export interface EngineWatchOptions {
  /** What to do when the engine is gone (default: end the process). */
  onEngineGone?: (reason: string) => void;
  /** Interval of the parent check, in milliseconds. */
  intervalMs?: number;
}

/**
 * Watches for the loss of the engine, once per process (later calls do nothing). For a plugin's
 * main; the dynamic provider's implementation starts it through `watchEngineInDynamicHost`.
 */
export function watchEngine(options: EngineWatchOptions = {}): void {
  if (watching) return;
  watching = true;
  const gone = options.onEngineGone ?? (() => process.exit(1));
  let done = false;
  const end = (reason: string) => {
    if (done) return;
    done = true;
    clearInterval(timer);
    gone(reason);
  };

  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) end(`parent process ${parent} is gone`);
  }, options.intervalMs ?? PARENT_CHECK_MS);
  timer.unref();

  if (stdinIsPipe()) {
    const stdin = process.stdin;
    stdin.on("end", () => end("stdin closed"));
    stdin.on("error", () => end("stdin failed"));
    stdin.resume(); // nothing is ever written to it; read only to see its end
    (stdin as NodeJS.ReadStream & { unref?: () => void }).unref?.();
  }
}

/**
 * Starts the watch when this process is Pulumi's Node.js dynamic-provider host (the plugin the
 * engine starts for `pulumi-nodejs:dynamic/...` resources), and never inside a program, a test
 * process or anything else that loads the implementation.
 */
export function watchEngineInDynamicHost(): void {
  if (isDynamicProviderHost(process.argv[1])) watchEngine();
}

/** True for the script of `@pulumi/pulumi/cmd/dynamic-provider` (its folder or its index.js). */
export function isDynamicProviderHost(script: string | undefined): boolean {
  if (!script) return false;
  const normalized = path.resolve(script).split(path.sep).join("/");
  return /\/@pulumi\/pulumi\/cmd\/dynamic-provider(\/index\.js)?$/.test(normalized);
}

/** A pipe (what the CLI gives a plugin) or a socket (what Node's child_process gives a child). */
function stdinIsPipe(): boolean {
  try {
    // `bigint: true` on purpose: a plain fstatSync of a pipe breaks fs.realpathSync's symlink
    // resolution (Node 20), and modules then load twice (ADR 0015, item 4).
    const stat = fs.fstatSync(0, { bigint: true });
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}
