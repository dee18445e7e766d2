// One attempt over real loopback HTTP (node:http, not the emulator): the per-attempt timer fires in
// the phase the request is in (no answer → `headers`, a body that stalls → `body`), the socket is
// released, and a body declared over the 10 MiB bound is refused without being read.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { WachtClient, WachtResponseValidationError, WachtTimeoutError } from "../../../src/client";
import { closeSharedDispatchers } from "../../../src/client/dispatchers";

const KEY = "sk_attempt_timeouts_0123456789";
let server: http.Server;
let client: WachtClient;
const open = new Set<http.ServerResponse>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    open.add(res);
    res.on("close", () => open.delete(res));
    if (req.url === "/users/1/details") return; // never answers
    if (req.url === "/users/2/details") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":"2",'); // then stalls
      return;
    }
    if (req.url === "/users/3/details") {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": 11 * 1024 * 1024,
      });
      res.write("{");
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new WachtClient({
    apiKey: KEY,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs: 200,
    maxRetries: 0,
    requestsPerMinute: Infinity,
    env: {},
  });
});

afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeSharedDispatchers();
});

async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );
}

describe("one attempt's timer and bounds", () => {
  it("times out in the headers phase when no answer comes", async () => {
    const started = Date.now();
    const e = await failure(client.users.get("1"));
    expect(e).toBeInstanceOf(WachtTimeoutError);
    expect(e).toMatchObject({ phase: "headers", timeoutMs: 200, requestMaybeSent: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("times out in the body phase when the body stalls, and frees the connection", async () => {
    const e = await failure(client.users.get("2"));
    expect(e).toMatchObject({ phase: "body", kind: "timeout" });
    expect(e.message).toBe("GET /users/2/details: timed out after 200 ms (body)");
    // The aborted request's socket was closed by the client.
    for (let i = 0; i < 50 && [...open].some((r) => r.req.url === "/users/2/details"); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect([...open].some((r) => r.req.url === "/users/2/details")).toBe(false);
  });

  it("refuses a body declared over the 10 MiB bound without reading it", async () => {
    const e = await failure(client.users.get("3"));
    expect(e).toBeInstanceOf(WachtResponseValidationError);
    expect(e.message).toBe("200 GET /users/3/details: response body larger than 10485760 bytes");
    expect((e as WachtResponseValidationError).issues).toEqual([]);
  });
});
