// The emulator in its own process (`dist/emulator/cli.js`, the shipped CLI), so that on a 2-core
// machine the client under test and the server do not share one event loop. Seeding, out-of-band
// edits and the request log go through the control routes (docs/emulator.md), which are not
// logged, rate limited or faulted.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { Pool } from "undici";
import type { RequestLogEntry, SeedUser, UserDump, InternalUserPatch } from "../../src/emulator";

const repoRoot = path.resolve(__dirname, "..", "..");

/** A running emulator child process. */
export interface EmulatorProcess {
  readonly url: string;
  readonly pid: number;
  /** Seeds users (in chunks below the 2 MiB body limit) and returns their dumps, in order. */
  seed(users: readonly SeedUser[]): Promise<UserDump[]>;
  /** Every user of every deployment, newest first. */
  users(): Promise<UserDump[]>;
  /** An out-of-band edit (like the dashboard); bumps `updated_at`. */
  patchUser(id: string, patch: InternalUserPatch): Promise<void>;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  close(): Promise<void>;
}

/** Starts `wacht-emulator --port 0 --api-key <key> --rate-limit off`. */
export async function startEmulatorProcess(apiKey: string): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(repoRoot, "dist", "emulator", "cli.js"),
      "--port",
      "0",
      "--api-key",
      apiKey,
      "--rate-limit",
      "off",
    ],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } },
  );
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${stderr}`)), 20_000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buf += chunk;
      const m = /WACHT_BASE_URL=(\S+)/.exec(buf);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`emulator exited before starting:\n${stderr}`)));
  });
  const control = new Pool(url, { connections: 2 });

  async function call<T>(method: "GET" | "POST" | "PATCH" | "DELETE", p: string, body?: unknown) {
    const res = await control.request({
      method,
      path: `/__emulator${p}`,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) {
      throw new Error(`emulator control ${method} ${p}: ${res.statusCode} ${text.slice(0, 300)}`);
    }
    return (text === "" ? {} : JSON.parse(text)) as T;
  }

  return {
    url,
    pid: child.pid!,
    async seed(users) {
      const out: UserDump[] = [];
      for (let i = 0; i < users.length; i += 500) {
        const res = await call<{ users: UserDump[] }>("POST", "/users", users.slice(i, i + 500));
        out.push(...res.users);
      }
      return out;
    },
    async users() {
      return (await call<{ users: UserDump[] }>("GET", "/users")).users;
    },
    async patchUser(id, patch) {
      await call("PATCH", `/users/${id}`, patch);
    },
    async requests() {
      return (await call<{ requests: RequestLogEntry[] }>("GET", "/requests")).requests;
    },
    async clearRequests() {
      await call("DELETE", "/requests");
    },
    async close() {
      await control.close();
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** `METHOD path` of each logged request (the query string left out). */
export function callNames(log: readonly RequestLogEntry[]): string[] {
  return log.map((r) => `${r.method} ${r.path}`);
}

/** Counts of logged requests by kind: list, details GET, PATCH, other. */
export function countKinds(log: readonly RequestLogEntry[]): {
  list: number;
  details: number;
  patch: number;
  other: number;
  total: number;
} {
  let list = 0;
  let details = 0;
  let patch = 0;
  let other = 0;
  for (const r of log) {
    if (r.method === "GET" && r.path === "/users") list++;
    else if (r.method === "GET" && /^\/users\/\d+\/details$/.test(r.path)) details++;
    else if (r.method === "PATCH" && /^\/users\/\d+$/.test(r.path)) patch++;
    else other++;
  }
  return { list, details, patch, other, total: log.length };
}
