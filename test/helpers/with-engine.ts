// The engine-path fixture: an emulator on 127.0.0.1:0, the serialized provider captured from a
// real `new User(...)` (or another resource), the REAL dynamic-provider host (cwd = repo root) and
// its Configure. Call withEngine() at the top of a test file (or describe block): it registers the
// jest hooks and returns an object whose fields are filled in by beforeAll. startEngine() is the
// same set-up without hooks, for a helper that owns its run (the chaos scenario).
import * as path from "node:path";
import { captureOne, type CaptureOptions, type CapturedResource, type Construct } from "./capture";
import {
  assertResolvable,
  RpcError,
  startHost,
  userUrn,
  type CheckFailure,
  type EngineHost,
  type Props,
} from "./engine-host";
import { seedUser } from "./seed";
import {
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
  type SeedUser,
} from "../../src/emulator";
import { User } from "../../src";
import { byProperty } from "./check-failures";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The environment every fixture host starts with: no key or URL from the developer's shell. */
const NO_WACHT_ENV = { WACHT_API_KEY: undefined, WACHT_BASE_URL: undefined };

/** Options of {@link withEngine}. */
export interface EngineOptions {
  /** Names the URNs of this file's resources. */
  name: string;
  apiKey?: string;
  /**
   * Extra stack config; `wacht:apiKey` and `wacht:baseUrl` (the emulator) are set already and may
   * be overridden. A function is called in beforeAll (for a URL known only then).
   */
  config?: Record<string, string> | (() => Record<string, string>);
  /** When false, no Configure is sent (the test sends its own). @default true */
  configure?: boolean;
  /** When false, no host is started and nothing is captured: only the emulator. @default true */
  host?: boolean;
  /** Emulator options besides port and apiKey (users seeded at start, rate limit, log bound). */
  emulator?: Omit<EmulatorOptions, "port" | "apiKey">;
  /** The program whose serialized provider is captured. @default a `wacht.User` */
  capture?: Construct;
  captureOptions?: CaptureOptions;
  /** The module the serialized provider loads by name. @default "pulumi-wacht/provider-impl" */
  implementation?: string;
  /**
   * Clear the emulator's faults and request log before each test. Off for a file whose tests are
   * one sequence that asserts on what earlier tests sent. @default true
   */
  clearEach?: boolean;
}

/** Options of {@link Engine.startHost}: another host process on the same emulator. */
export interface ExtraHostOptions {
  /** @default REPO_ROOT */
  cwd?: string;
  /** Added to the environment, over the removal of WACHT_API_KEY and WACHT_BASE_URL. */
  env?: Record<string, string | undefined>;
  /** The whole stack config sent in Configure; false sends none. @default the fixture's config */
  config?: Record<string, string> | false;
}

/** What a test gets from {@link withEngine}. */
export interface Engine {
  emu: EmulatorHandle;
  /** The host (not set with `host: false`). */
  host: EngineHost;
  /** The serialized provider (`__provider`) of the captured resource (not set with `host: false`). */
  provider: string;
  /** The whole captured registration (not set with `host: false`). */
  captured: CapturedResource;
  apiKey: string;
  /** The stack config of Configure: apiKey, baseUrl (the emulator) and the options' config. */
  config: Record<string, string>;
  /** The host's answer to Configure (undefined with `configure: false`). */
  configured: { acceptSecrets: boolean; supportsPreview: boolean } | undefined;
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
  /**
   * Starts another host process on the same emulator (a separate `pulumi destroy` run, a host
   * configured differently); the fixture closes it with the rest.
   */
  startHost(options?: ExtraHostOptions): Promise<EngineHost>;
  /** Closes every host and the emulator (withEngine's afterAll does it). */
  close(): Promise<void>;
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

/** Starts the emulator, captures the provider, starts and configures the host. */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  const apiKey =
    options.apiKey ?? `sk_${options.name.replace(/\W/g, "")}_0123456789abcdefghijklmnop`;
  const hosts: EngineHost[] = [];
  let seq = 0;
  const emu = await startEmulator({ ...options.emulator, port: 0, apiKey });
  const extra = typeof options.config === "function" ? options.config() : options.config;
  const started: Omit<Engine, "host" | "provider" | "captured"> = {
    emu,
    apiKey,
    config: { "wacht:apiKey": apiKey, "wacht:baseUrl": emu.url, ...extra },
    configured: undefined,
    urn: () => userUrn(`${options.name}-${++seq}`),
    async check(decl: Props, urn = engine.urn()): Promise<Props> {
      const checked = await engine.host.check(urn, {}, { ...decl, __provider: engine.provider });
      expect(checked.failures).toEqual([]);
      return checked.inputs;
    },
    async failures(decl: Props, urn = engine.urn()): Promise<CheckFailure[]> {
      const checked = await engine.host.check(urn, {}, { ...decl, __provider: engine.provider });
      expect(checked.failures).not.toEqual([]);
      return byProperty(checked.failures);
    },
    seed: (user: SeedUser): string => seedUser(emu, user).user.id,
    writes: (method: string) => emu.requests().filter((r) => r.method === method),
    async startHost(extraOptions: ExtraHostOptions = {}): Promise<EngineHost> {
      const host = await startHost({
        cwd: extraOptions.cwd ?? REPO_ROOT,
        env: { ...NO_WACHT_ENV, ...extraOptions.env },
      });
      hosts.push(host);
      const config = extraOptions.config ?? engine.config;
      if (config !== false) await host.configure(config);
      return host;
    },
    async close(): Promise<void> {
      for (const host of hosts) await host.close();
      await emu.close();
    },
  };
  const engine = started as Engine;
  try {
    if (options.host !== false) {
      assertResolvable(REPO_ROOT, options.implementation ?? "pulumi-wacht/provider-impl");
      engine.captured = await captureOne(
        options.capture ?? (() => new User("svc", { userId: "1" })),
        options.captureOptions,
      );
      engine.provider = engine.captured.providerText;
      engine.host = await engine.startHost({ config: false });
      if (options.configure !== false)
        engine.configured = await engine.host.configure(engine.config);
    }
  } catch (err) {
    await engine.close();
    throw err;
  }
  return engine;
}

/** Registers the set-up and tear-down hooks and returns the fixture they fill. */
export function withEngine(options: EngineOptions): Engine {
  const engine = {} as Engine;
  beforeAll(async () => {
    Object.assign(engine, await startEngine(options));
  });
  afterAll(async () => {
    await engine.close?.();
  });
  if (options.clearEach !== false) {
    beforeEach(() => {
      engine.emu.faults.clear();
      engine.emu.clearRequests();
    });
  }
  return engine;
}
