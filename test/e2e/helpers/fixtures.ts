// Shared e2e fixtures: an emulator on 127.0.0.1 plus a project wired to it (config set as a user
// would: `pulumi config set --secret wacht:apiKey …`), and request accounting by kind.
import { startEmulator, type EmulatorHandle, type RequestLogEntry } from "../../../src/emulator";
import type { SeedUser } from "../../../src/emulator";
import { E2eProject, type ProjectOptions, type RunResult } from "./project";

export const E2E_API_KEY = "sk_test_e2e_0123456789abcdef0123456789abcdef";

export interface Stage {
  emulator: EmulatorHandle;
  project: E2eProject;
  close(): Promise<void>;
}

/** An emulator and a project whose stack config points at it. */
export async function stage(
  opts: ProjectOptions & {
    seed?: SeedUser[];
    configure?: boolean;
    rateLimitPerMinute?: number | false;
  },
): Promise<Stage> {
  const emulator = await startEmulator({
    apiKey: E2E_API_KEY,
    seed: opts.seed ?? [],
    rateLimitPerMinute: opts.rateLimitPerMinute ?? false,
  });
  const project = await E2eProject.create(opts);
  if (opts.configure !== false) {
    await project.config("wacht:apiKey", E2E_API_KEY, true);
    await project.config("wacht:baseUrl", emulator.url);
  }
  return {
    emulator,
    project,
    async close() {
      await emulator.close();
      project.remove();
    },
  };
}

const WRITES = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** Requests that change something on the server. */
export function writes(entries: RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((e) => WRITES.has(e.method));
}

/** Requests counted by `METHOD /route` with ids collapsed, e.g. `{ "GET /users/:id": 3 }`. */
export function byKind(entries: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const route = e.path.replace(/\/\d+(?=\/|$)/g, "/:id");
    const k = `${e.method} ${route}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The names of the multipart parts a request carried. */
export function partNames(e: RequestLogEntry): string[] {
  return (e.multipart ?? []).map((p) => p.name ?? "");
}

/** Asserts a run exited 0, showing what the CLI printed when it did not. */
export function expectSuccess(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`pulumi exited ${r.code}:\n${r.all}`);
  return r;
}
