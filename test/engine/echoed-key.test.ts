// Issue 11 defect 1 at the surface a user meets: a server (or proxy) that echoes the API key in a
// response header (x-request-id) and in its content type. Through the REAL dynamic-provider host,
// the RPC error `pulumi up` would print and the host's own stdout/stderr must not contain the key.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { userUrn } from "../helpers/engine-host";
import { withEngine } from "../helpers/with-engine";

jest.setTimeout(60_000);

const API_KEY = "sk_ECHOCANARY_0b5d2f7e9a1c3e5f7a9b1d3f5a7c9e1b3d5f";
const USER_ID = "310000000000000042";

let server: http.Server;
let serverUrl: string;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => {
      res.writeHead(500, {
        "content-type": "application/json",
        "x-request-id": API_KEY,
      });
      res.end(JSON.stringify({ errors: [{ message: "Something went wrong", code: 500 }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

// Registered after the server's beforeAll, so its URL is known when the host is configured. The
// fixture's emulator stands by unused: it never echoes the key, the server above does.
const engine = withEngine({
  name: "echo",
  apiKey: API_KEY,
  config: () => ({ "wacht:baseUrl": serverUrl, "wacht:maxRetries": "0" }),
});

describe("a key echoed in a response header", () => {
  it("reaches neither the RPC error nor the host's output", async () => {
    const { host, provider } = engine;
    const urn = userUrn("echo");
    const decl = { userId: USER_ID, firstName: "Echo", __provider: provider };
    const checked = await host.check(urn, {}, decl);
    expect(checked.failures).toEqual([]);
    const err = await host.create(urn, checked.inputs).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(requests).toBeGreaterThan(0);
    expect(err?.message).toMatch(/500 GET \/users\/\d+\/details: Something went wrong/);
    expect(err?.message).toContain("(request id [REDACTED])");
    expect(err?.message).not.toContain(API_KEY);
    expect(host.output()).not.toContain(API_KEY);
  });
});
