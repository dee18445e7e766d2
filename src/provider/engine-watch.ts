// Ends a provider plugin process soon after the Pulumi engine that started it is gone.
//
// The CLI starts every plugin in a process group of its own and stops it itself when a run ends.
// A CLI that is killed (SIGKILL, an OOM kill, a cancelled CI runner) stops nothing: a signal to
// the CLI's process group does not reach the plugin, and a Node.js provider, whose gRPC server
// keeps it alive, would run on forever (measured through the real CLI: docs/decisions/0015).
// Two signs tell a plugin its engine is gone, and either ends the process:
//   - its parent process changed (the launcher `exec`s node, so the parent is the CLI; a dead
//     parent's children are re-parented to init or a subreaper);
//   - its stdin, a pipe the CLI holds open for the plugin's whole life, reached end of file (this
//     one also holds when a shell launcher sits between the CLI and node).
// Neither fires while the CLI lives; a process whose stdin is not a pipe or a socket (a file,
// /dev/null, a terminal) is judged by its parent only.
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
    // `bigint: true` on purpose: a plain fstatSync writes the process-wide stat buffer that
    // fs.realpathSync reads back for path parts it has cached, and a FIFO or socket left there
    // makes it stop resolving symlinks (Node 20). Modules would then load twice, once by their
    // real path and once through a symlinked node_modules, each with its own process-wide state
    // (the run's listing: a census and its users listed the deployment twice).
    const stat = fs.fstatSync(0, { bigint: true });
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}
