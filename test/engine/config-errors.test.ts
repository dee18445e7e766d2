// A configuration problem as `pulumi up`, `refresh` and `destroy` show it, through the REAL
// dynamic-provider host: the host logs `${e}: ${e.stack}` for a failed check/read/delete and the
// engine prints the RPC error under the resource. The explanation (key and what to do) must appear
// exactly once, as the RPC error; the host's line only points at the key, with no stack trace (and
// so no path into sources the package does not ship); no request is sent.
import { MISSING_API_KEY_MESSAGE } from "../../src/config/provider-config";
import { userUrn, type EngineHost } from "../helpers/engine-host";
import { rpcError, withEngine } from "../helpers/with-engine";

jest.setTimeout(60_000);

const USER_ID = "310000000000000077";
const STATE = { userId: USER_ID, firstName: "Conf", lastName: "Error" };

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

/** The RPC error's text and everything the host printed, after the host's line arrived. */
async function shown(
  host: EngineHost,
  call: Promise<unknown>,
): Promise<{ rpc: string; out: string }> {
  const err = await rpcError(call);
  const out = await host.waitForOutput("wacht configuration:");
  return { rpc: err.details, out };
}

describe("a configuration error, printed once with its key and what to do", () => {
  const engine = withEngine({ name: "conf" });

  it("no API key: check fails with the message once; the host's line names the key, no trace", async () => {
    const host = await engine.startHost({ config: { "wacht:baseUrl": engine.emu.url } });
    engine.emu.clearRequests();
    const urn = userUrn("conf-nokey");
    const { rpc, out } = await shown(
      host,
      host.check(urn, {}, { ...STATE, __provider: engine.provider }),
    );
    expect(rpc).toBe(MISSING_API_KEY_MESSAGE);
    expect(occurrences(rpc + out, MISSING_API_KEY_MESSAGE)).toBe(1);
    expect(out).toContain(
      "wacht configuration: wacht:apiKey (or WACHT_API_KEY): see the resource's error",
    );
    expect(out).not.toMatch(/\n\s+at /);
    expect(out).not.toMatch(/\.ts:\d+/);
    expect(engine.emu.requests()).toEqual([]);
  });

  it("refresh (read) and destroy (delete) report a bad value by its key, before any request", async () => {
    const host = await engine.startHost({
      config: { ...engine.config, "wacht:baseUrl": "http://wacht.example.com" },
    });
    engine.emu.clearRequests();
    const urn = userUrn("conf-baseurl");
    const state = { ...STATE, __provider: engine.provider };
    const read = await shown(host, host.read(USER_ID, urn, state));
    expect(read.rpc).toMatch(/^wacht:baseUrl \(or WACHT_BASE_URL\): Wacht base URL must use https/);
    expect(occurrences(read.rpc + read.out, read.rpc)).toBe(1);
    expect(read.out).not.toMatch(/\n\s+at /);

    const del = await rpcError(host.delete(USER_ID, urn, state));
    expect(del.details).toBe(read.rpc);
    expect(engine.emu.requests()).toEqual([]);
  });
});
