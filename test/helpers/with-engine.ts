// The engine-path fixture: an emulator on 127.0.0.1:0, the serialized provider captured from a
// real `new User(...)`, the REAL dynamic-provider host (cwd = repo root) and its Configure. Call
// withEngine() at the top of a test file (or describe block): it registers the jest hooks and
// returns an object whose fields are filled in by beforeAll.
import * as path from "node:path";
import { captureOne } from "./capture";
import {
  assertResolvable,
  RpcError,
  startHost,
  userUrn,
  type CheckFailure,
  type EngineHost,
  type Props,
} from "./engine-host";
import { startEmulator, type EmulatorHandle, type SeedUser } from "../../src/emulator";
import { User } from "../../src";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Options of {@link withEngine}. */
export interface EngineOptions {
  /** Names the URNs of this file's resources. */
  name: string;
  apiKey?: string;
  /** Extra stack config; `wacht:apiKey` and `wacht:baseUrl` (the emulator) are set already. */
  config?: Record<string, string>;
  /** When false, no Configure is sent (the test sends its own). @default true */
  configure?: boolean;
}

/** What a test gets from {@link withEngine}. */
export interface Engine {
  emu: EmulatorHandle;
  host: EngineHost;
  /** The serialized provider (`__provider`) of a captured `wacht.User`. */
  provider: string;
  apiKey: string;
  /** A fresh URN for each resource. */
  urn(): string;
  /** Check that must pass; returns the checked inputs. */
  check(decl: Props, urn?: string): Promise<Props>;
  /** Check that must fail; returns its failures. */
  failures(decl: Props, urn?: string): Promise<CheckFailure[]>;
  /** Seeds one user into the emulator (as if created outside Pulumi); returns its id. */
  seed(user: SeedUser): string;
  /** The emulator's recorded requests of one method. */
  writes(method: string): ReturnType<EmulatorHandle["requests"]>;
}

/** The RpcError `p` rejects with (fails the test when it resolves or throws something else). */
export async function rpcError(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
  throw new Error("expected the RPC to fail");
}

/** Registers the set-up and tear-down hooks and returns the fixture they fill. */
export function withEngine(options: EngineOptions): Engine {
  const apiKey =
    options.apiKey ?? `sk_${options.name.replace(/\W/g, "")}_0123456789abcdefghijklmnop`;
  let seq = 0;
  const engine = {
    apiKey,
    urn: () => userUrn(`${options.name}-${++seq}`),
    async check(decl: Props, urn = engine.urn()): Promise<Props> {
      const checked = await engine.host.check(urn, {}, { ...decl, __provider: engine.provider });
      expect(checked.failures).toEqual([]);
      return checked.inputs;
    },
    async failures(decl: Props, urn = engine.urn()): Promise<CheckFailure[]> {
      const checked = await engine.host.check(urn, {}, { ...decl, __provider: engine.provider });
      expect(checked.failures).not.toEqual([]);
      return checked.failures;
    },
    seed(user: SeedUser): string {
      const [dump] = engine.emu.users.seed([user]);
      if (dump === undefined) throw new Error("the emulator seeded no user");
      return dump.user.id;
    },
    writes: (method: string) => engine.emu.requests().filter((r) => r.method === method),
  } as Engine;

  beforeAll(async () => {
    assertResolvable(REPO_ROOT, "pulumi-wacht/provider-impl");
    engine.emu = await startEmulator({ port: 0, apiKey });
    engine.provider = (await captureOne(() => new User("svc", { userId: "1" }))).providerText;
    engine.host = await startHost({
      cwd: REPO_ROOT,
      env: { WACHT_API_KEY: undefined, WACHT_BASE_URL: undefined },
    });
    if (options.configure !== false) {
      await engine.host.configure({
        "wacht:apiKey": apiKey,
        "wacht:baseUrl": engine.emu.url,
        ...options.config,
      });
    }
  });
  afterAll(async () => {
    await engine.host?.close();
    await engine.emu?.close();
  });
  beforeEach(() => {
    engine.emu.faults.clear();
    engine.emu.clearRequests();
  });
  return engine;
}
