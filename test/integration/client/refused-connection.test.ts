// A base URL where nothing listens (a closed loopback port): the refused connection names the
// base URL setting and asks whether the server runs, in the client's error and in the provider's.
import { WachtClient, WachtConnectionError } from "../../../src/client";
import { closeSharedDispatchers } from "../../../src/client/dispatchers";
import { closedLoopbackUrl } from "../../helpers/closed-port";
import { configuredProvider } from "../../helpers/provider";

const KEY = "sk_refused_connection_0123456789";
const USER = "300000000000000001";
let baseUrl: string;

beforeAll(async () => {
  baseUrl = await closedLoopbackUrl();
});
afterAll(async () => closeSharedDispatchers());

/** The question every refused call ends with. */
const hint = () =>
  `Is the Wacht server (or the emulator) running at ${baseUrl}? Check the base URL (WACHT_BASE_URL, the stack config wacht:baseUrl, or the baseUrl option)`;

describe("a refused connection", () => {
  it("names the base URL setting and asks whether the server runs (client)", async () => {
    const client = new WachtClient({ apiKey: KEY, baseUrl, maxRetries: 0, env: {} });
    const e = (await client.users.get(USER).catch((err: unknown) => err)) as WachtConnectionError;
    expect(e).toBeInstanceOf(WachtConnectionError);
    expect(e).toMatchObject({ code: "ECONNREFUSED", requestMaybeSent: false, hint: hint() });
    expect(e.message).toMatch(
      /^GET \/users\/300000000000000001\/details: connection failed \(ECONNREFUSED: /,
    );
    expect(e.message.endsWith(`. ${hint()}`)).toBe(true);
    expect(e.message).not.toContain(KEY);
  });

  it("reaches the provider's message, after what it was doing", async () => {
    const provider = await configuredProvider(baseUrl, KEY, { "wacht:maxRetries": "0" });
    const e = (await provider.read(USER, { userId: USER }).catch((err: unknown) => err)) as Error;
    expect(e.message).toMatch(/^reading Wacht user 300000000000000001 failed: GET .*ECONNREFUSED/);
    expect(e.message).toContain(hint());
    expect(e.message).not.toContain(KEY);
  });
});
