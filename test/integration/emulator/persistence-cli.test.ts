// Tests of the emulator's state file (load at start, atomic writes, flushed on close) and of the
// built `wacht-emulator` CLI (run `npm run build` first; `npm test` does it in pretest).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../../src/emulator";
import { form } from "./helpers";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "wacht-emulator-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const auth = { authorization: "Bearer k" };

describe("users survive restarts in a readable, atomically written state file", () => {
  it("users survive a restart through the state file; writes are atomic (no temp files left)", async () => {
    const stateFile = join(dir, "state", "users.json");
    const first = await startEmulator({ stateFile, seed: [{ first_name: "Seeded" }] });
    const created = await fetch(`${first.url}/users`, {
      method: "POST",
      headers: auth,
      body: form({
        first_name: "Kept",
        email_address: "kept@example.com",
        password: "Str0ng!pass",
      }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await fetch(`${first.url}/users/${created.id}`, {
      method: "PATCH",
      headers: auth,
      body: form({ public_metadata: '{"a":1}' }),
    });
    await first.close();
    expect(existsSync(stateFile)).toBe(true);
    expect(readdirSync(join(dir, "state")).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const second = await startEmulator({ stateFile, seed: [{ first_name: "Not re-seeded" }] });
    try {
      const details = await fetch(`${second.url}/users/${created.id}/details`, {
        headers: auth,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
      expect(details).toMatchObject({ first_name: "Kept", public_metadata: { a: 1 } });
      expect(
        second.users
          .list()
          .map((u) => u.user.first_name)
          .sort(),
      ).toEqual(["Kept", "Seeded"]);
      // New ids never collide with saved ones.
      const next = await fetch(`${second.url}/users`, {
        method: "POST",
        headers: auth,
        body: form({ email_address: "n@example.com", skip_password_check: "true" }),
      }).then((r) => r.json() as Promise<{ id: string }>);
      expect(
        second.users
          .list()
          .map((u) => u.user.id)
          .filter((i) => i === next.id),
      ).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("a corrupt state file fails the start with a clear error", async () => {
    const stateFile = join(dir, "corrupt.json");
    writeFileSync(stateFile, JSON.stringify({ version: 1, idsIssued: 0, users: [{ id: "x" }] }));
    await expect(startEmulator({ stateFile })).rejects.toThrow(/Invalid emulator state file/);
  });

  it("the file is a readable JSON snapshot", async () => {
    const stateFile = join(dir, "readable.json");
    const emu = await startEmulator({ stateFile, seed: [{ first_name: "Read me" }] });
    await emu.close();
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(saved.version).toBe(1);
    expect(saved.users[0].firstName).toBe("Read me");
  });
});

describe("the wacht-emulator CLI prints its URL and serves until SIGTERM", () => {
  const cli = join(__dirname, "../../../dist/emulator/cli.js");
  // `npm test` builds first (pretest); a missing build is a failure, never a silent skip.
  it("the CLI is built (run `npm run build` before jest)", () => {
    expect(existsSync(cli)).toBe(true);
  });

  it("`wacht-emulator --port 0` prints its base URL first and serves until SIGTERM", async () => {
    const seedFile = join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify([{ first_name: "From seed", email: "s@example.com" }]));
    const child = spawn(
      process.execPath,
      [cli, "--port", "0", "--api-key", "cli-key", "--seed", seedFile],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          const line = out.split("\n")[0];
          if (out.includes("\n") && line) resolve(line);
        });
        child.on("exit", (code) => reject(new Error(`cli exited ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const base = url;
      const list = await fetch(`${base}/users`, {
        headers: { authorization: "Bearer cli-key" },
      }).then((r) => r.json() as Promise<{ data: Array<{ first_name: string }> }>);
      expect(list.data.map((u) => u.first_name)).toEqual(["From seed"]);
      expect(
        (await fetch(`${base}/users`, { headers: { authorization: "Bearer other" } })).status,
      ).toBe(401);
    } finally {
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  });
});
