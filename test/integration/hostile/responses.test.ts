// Issue #7 §2, hostile responses: a tiny node:http server on 127.0.0.1 (not the emulator) answers
// with malformed JSON, wrong shapes, huge bodies, HTML error pages, redirects (to a second loopback
// server that records whether it was contacted), a body that trickles forever, a key echoed back
// and details of ANOTHER user. The client must fail with a clear error (class and message, no
// body echoed, no redirect followed); the provider must throw instead of returning outputs, and
// a partial failure may only carry the server's real state.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "../../../src/emulator";
import { WachtClient } from "../../../src/client/wacht-client";
import { isWachtError } from "../../../src/client/errors";
import { PartialFailureError } from "../../../src/provider/partial-failure";
import { type TestProvider, configuredProvider } from "../../helpers/provider";

jest.setTimeout(30_000);

const KEY = "sk_hostile_key_0123456789abcdefghijklmnopqrstuvwxyz";
const USER = "300000000000000001";
const OTHER = "300000000000000999";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

let handler: Handler = (_req, res) => res.end();
let server: http.Server;
let target: http.Server;
let base: string;
let targetUrl: string;
let targetHits = 0;
/** Real UserDetails JSON of USER (taken from the emulator once). */
let details: Record<string, unknown>;
const seen: string[] = [];

function listen(s: http.Server): Promise<number> {
  return new Promise((resolve) =>
    s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  const emu = await startEmulator({
    apiKey: KEY,
    seed: [
      {
        id: USER,
        first_name: "Ada",
        last_name: "Lovelace",
        username: "ada",
        email: "ada@example.com",
        public_metadata: { team: "infra" },
        private_metadata: { vault: "kv/ada" },
      },
    ],
  });
  const res = await fetch(`${emu.url}/users/${USER}/details`, {
    headers: { authorization: `Bearer ${KEY}` },
  });
  details = (await res.json()) as Record<string, unknown>;
  await emu.close();

  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push(`${req.method ?? "?"} ${req.url ?? "?"}`);
      handler(req, res, Buffer.concat(chunks));
    });
  });
  target = http.createServer((_req, res) => {
    targetHits++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(details));
  });
  base = `http://127.0.0.1:${await listen(server)}`;
  targetUrl = `http://127.0.0.1:${await listen(target)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  target.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => target.close(r));
});

beforeEach(() => {
  seen.length = 0;
  targetHits = 0;
});

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

function client(): WachtClient {
  return new WachtClient({ apiKey: KEY, baseUrl: base, maxRetries: 0, timeoutMs: 1_500 });
}

async function failure(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const out = await p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  if (out.ok) throw new Error(`expected a failure, got ${JSON.stringify(out.v).slice(0, 200)}`);
  return out.e as Error & Record<string, unknown>;
}

const HTML = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>nginx ${"x".repeat(2_000)}</p></body></html>`;

/** Hostile answers to GET /users/{id}/details, with the error each must produce. */
const HOSTILE: Array<{
  name: string;
  respond: Handler;
  kind: string;
  message: RegExp;
  notInMessage?: string;
}> = [
  {
    name: "malformed JSON",
    respond: (_q, r) => json(r, 200, '{"id": "300000000000000001", "first_name": '),
    kind: "response-validation",
    message: /\b200 GET \/users\/\d+\/details: response is not JSON/,
  },
  {
    name: "JSON that is not an object (an array)",
    respond: (_q, r) => json(r, 200, "[1,2,3]"),
    kind: "response-validation",
    message: /\b200 GET \/users\/\d+\/details: response does not match the expected shape/,
  },
  {
    name: "wrong shape: id as a number",
    respond: (_q, r) => json(r, 200, { ...details, id: 300000000000000001 }),
    kind: "response-validation",
    message: /does not match the expected shape: \d+ issue\(s\), first at id/,
  },
  {
    name: "wrong shape: metadata missing, disabled as a string",
    respond: (_q, r) => {
      const rest: Record<string, unknown> = { ...details, disabled: "false" };
      delete rest["public_metadata"];
      json(r, 200, rest);
    },
    kind: "response-validation",
    message: /does not match the expected shape/,
  },
  {
    name: "a 200 HTML page",
    respond: (_q, r) => {
      r.writeHead(200, { "content-type": "text/html" });
      r.end(HTML);
    },
    kind: "response-validation",
    message: /response is not JSON \(text\/html, \d+ bytes\)/,
    notInMessage: "nginx",
  },
  {
    name: "an HTML 502 error page",
    respond: (_q, r) => {
      r.writeHead(502, { "content-type": "text/html" });
      r.end(HTML);
    },
    kind: "api",
    message: /\b502 GET \/users\/\d+\/details: <non-JSON response: text\/html, \d+ bytes>/,
    notInMessage: "nginx",
  },
  {
    name: "a huge (11 MiB) 200 body",
    respond: (_q, r) => {
      r.writeHead(200, { "content-type": "application/json" });
      r.end(`{"pad":"${"a".repeat(11 * 1024 * 1024)}"}`);
    },
    kind: "response-validation",
    message: /response body larger than 10485760 bytes/,
  },
  {
    name: "a huge (11 MiB) 500 body",
    respond: (_q, r) => {
      r.writeHead(500, { "content-type": "application/json" });
      r.end(`{"errors":[{"message":"${"b".repeat(11 * 1024 * 1024)}","code":500}]}`);
    },
    kind: "*",
    message: /\b500 GET \/users\/\d+\/details: /,
    notInMessage: "bbbbbbbbbbbbbbbbbbbbbbbb",
  },
  {
    name: "a 301 redirect to another loopback server",
    respond: (_q, r) => {
      r.writeHead(301, { location: `${targetUrl}/users/${USER}/details` });
      r.end();
    },
    kind: "api",
    message: /\b301 GET \/users\/\d+\/details: /,
  },
  {
    name: "a 302 redirect to another loopback server",
    respond: (_q, r) => {
      r.writeHead(302, { location: `${targetUrl}/users/${USER}/details` });
      r.end();
    },
    kind: "api",
    message: /\b302 GET \/users\/\d+\/details: /,
  },
  {
    name: "a 307 redirect to another loopback server",
    respond: (_q, r) => {
      r.writeHead(307, { location: `${targetUrl}/users/${USER}/details` });
      r.end();
    },
    kind: "api",
    message: /\b307 GET \/users\/\d+\/details: /,
  },
  {
    name: "an error envelope that echoes the API key",
    respond: (_q, r) =>
      json(r, 400, { errors: [{ message: `bad key ${KEY} for you`, code: 400 }] }),
    kind: "api",
    message: /\b400 GET \/users\/\d+\/details: bad key \[REDACTED\] for you/,
    notInMessage: KEY,
  },
  {
    name: "a body that trickles and never ends",
    respond: (_q, r) => {
      r.writeHead(200, { "content-type": "application/json" });
      r.write('{"id":');
      const t = setInterval(() => r.write(" "), 100);
      r.on("close", () => clearInterval(t));
    },
    kind: "timeout",
    message: /GET \/users\/\d+\/details: timed out after \d+ ms/,
  },
  {
    name: "a connection closed mid-body",
    respond: (_q, r) => {
      r.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      r.write('{"id":"1"');
      setTimeout(() => r.destroy(), 20);
    },
    kind: "connection",
    message: /GET \/users\/\d+\/details: /,
  },
];

describe("the client against hostile responses", () => {
  it.each(HOSTILE.map((h) => [h.name, h] as const))("%s → a clear error", async (_n, h) => {
    handler = h.respond;
    const err = await failure(client().users.get(USER));
    expect(isWachtError(err)).toBe(true);
    if (h.kind !== "*") expect(err["kind"]).toBe(h.kind);
    expect(err.message).toMatch(h.message);
    expect(err.message.length).toBeLessThan(2_000);
    if (h.notInMessage !== undefined) {
      expect(err.message).not.toContain(h.notInMessage);
      expect(JSON.stringify(err)).not.toContain(h.notInMessage);
    }
    expect(JSON.stringify(err)).not.toContain(KEY);
    expect(targetHits).toBe(0); // a redirect is never followed
  });

  it("a redirect on PATCH is not followed and the body is not re-sent elsewhere", async () => {
    handler = (_q, r) => {
      r.writeHead(308, { location: `${targetUrl}/users/${USER}` });
      r.end();
    };
    const err = await failure(client().users.update(USER, { firstName: "X" }));
    expect(err.message).toMatch(/^308 PATCH \/users\/\d+: /);
    expect(targetHits).toBe(0);
  });
});

describe("the provider against hostile responses: no wrong state", () => {
  let provider: TestProvider;
  const state = (): Record<string, unknown> => ({
    userId: USER,
    origin: "userId",
    firstName: "Ada",
    lastName: "Lovelace",
    username: "ada",
    disabled: false,
    secondFactorPolicy: details["second_factor_policy"],
    publicMetadata: { team: "infra" },
    privateMetadata: { vault: "kv/ada" },
    updatedAt: details["updated_at"],
    managedFields: ["firstName"],
    onDelete: "retain",
    onConflict: "fail",
    metadataOwnership: "replace",
    __provider: "shim",
  });

  beforeAll(async () => {
    provider = await configuredProvider(base, KEY, {
      "wacht:maxRetries": "0",
      "wacht:timeoutMs": "1500",
      "wacht:deltaRefresh": "false",
    });
  });

  it.each(HOSTILE.map((h) => [h.name, h] as const))(
    "create (adopt by userId), GET answered with %s → throws, no outputs",
    async (_n, h) => {
      handler = h.respond;
      const err = await failure(
        provider.create({ userId: USER, firstName: "Eve", onDelete: "retain" }),
      );
      expect(err).not.toBeInstanceOf(PartialFailureError);
      expect(err.message).toMatch(h.message);
      expect(seen.every((s) => s.startsWith("GET "))).toBe(true); // nothing was written
      expect(targetHits).toBe(0);
    },
  );

  it.each(HOSTILE.map((h) => [h.name, h] as const))(
    "read, GET answered with %s → throws (never 'gone', never new values)",
    async (_n, h) => {
      handler = h.respond;
      const err = await failure(provider.read(USER, state()));
      expect(err.message).toMatch(h.message);
      expect(targetHits).toBe(0);
    },
  );

  it.each(HOSTILE.map((h) => [h.name, h] as const))(
    "update, PATCH answered with %s → throws; a partial failure carries only the server's real state",
    async (_n, h) => {
      handler = (req, res, body) => {
        if (req.method === "GET") json(res, 200, details);
        else h.respond(req, res, body);
      };
      const err = await failure(
        provider.update(USER, state(), {
          userId: USER,
          firstName: "Eve",
          onDelete: "retain",
        }),
      );
      const patch = new RegExp(
        h.message.source.replace("GET \\/users\\/\\d+\\/details", "PATCH \\/users\\/\\d+"),
      );
      expect(err.message).toMatch(patch);
      if (err instanceof PartialFailureError) {
        // What the server really has (its GET): firstName is still "Ada".
        expect(err.id).toBe(USER);
        expect(err.properties).toMatchObject({
          userId: USER,
          firstName: details["first_name"],
          lastName: details["last_name"],
          publicMetadata: details["public_metadata"],
          updatedAt: details["updated_at"],
        });
      }
      expect(targetHits).toBe(0);
    },
  );

  // BUG (reported): the provider trusts the id in the body; the resource silently moves to
  // another user, and the next update PATCHes that user.
  it("read answered with ANOTHER user's details does not move the resource to that user", async () => {
    handler = (_q, r) => json(r, 200, { ...details, id: OTHER, first_name: "Mallory" });
    const result = await provider.read(USER, state()).then(
      (v) => v,
      (e: unknown) => e,
    );
    if (result instanceof Error) {
      expect(result.message).toMatch(new RegExp(`${USER}|${OTHER}`));
    } else {
      expect((result as { id?: string }).id).toBe(USER);
      expect((result as { props?: Record<string, unknown> }).props?.["userId"]).toBe(USER);
    }
  });

  it("create answered with ANOTHER user's details does not adopt that user", async () => {
    handler = (req, r) => {
      if (req.method === "GET") json(r, 200, { ...details, id: OTHER, first_name: "Mallory" });
      else json(r, 200, { ...details, id: OTHER });
    };
    const result = await provider
      .create({ userId: USER, firstName: "Eve", onDelete: "retain" })
      .then(
        (v) => v,
        (e: unknown) => e,
      );
    if (!(result instanceof Error)) {
      expect((result as { id: string }).id).toBe(USER);
      expect((result as { outs?: Record<string, unknown> }).outs?.["userId"]).toBe(USER);
    }
    expect(seen.filter((s) => s.startsWith("PATCH")).every((s) => s.includes(USER))).toBe(true);
  });
});
