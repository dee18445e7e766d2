// Serialization capture: runs a Pulumi program in-process under `pulumi.runtime.setMocks` and
// returns what the engine would receive for each dynamic resource registered — in particular the
// exact `__provider` text produced by the real closure serializer (docs/pulumi-engine.md §3, §5).
//
// Decision (docs/testing.md): in-process. setMocks is global state, so captures are serialized
// through a module-level queue and each one installs fresh mocks, fresh config and waits for the
// runtime's RPC queue to drain (`waitForRPCs`) before returning; several captures per test file
// are fine. A child-process capture exists too (packaging.ts) for the installed-tarball case.
import * as vm from "node:vm";
import * as pulumi from "@pulumi/pulumi";

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface CapturedResource {
  type: string;
  name: string;
  /** Inputs as the engine would store them, secrets unwrapped, `__provider` removed. */
  inputs: Record<string, unknown>;
  /** Input keys whose value arrived secret-wrapped (at top level). */
  secretInputs: string[];
  /** The serialized provider module text (`__provider`), unwrapped if secret. */
  providerText: string;
  /** Whether `__provider` was marked secret by the serializer (a captured secret Output). */
  providerIsSecret: boolean;
}

export interface CaptureOptions {
  /** Stack config visible to the program (`pulumi.Config`), e.g. `{ "wacht:apiKey": "…" }`. */
  config?: Record<string, string>;
  /** Config keys that are secret. */
  secretKeys?: string[];
  project?: string;
  stack?: string;
  /** Bound on waiting for registrations; default 30 s. */
  timeoutMs?: number;
}

type Secretish = { [SECRET_SIG]: string; value: unknown };

function isSecretWrapped(v: unknown): v is Secretish {
  return (
    v !== null &&
    typeof v === "object" &&
    (v as Record<string, unknown>)[SECRET_SIG] === SECRET_SIG_VALUE
  );
}

/** Recursively removes secret wrappers, keeping the plaintext values visible. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretWrapped(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

/** Turns one mocked registration into a CapturedResource. */
export function toCaptured(
  type: string,
  name: string,
  rawInputs: Record<string, unknown>,
): CapturedResource {
  const { __provider: rawProvider, ...rest } = rawInputs;
  const providerIsSecret = isSecretWrapped(rawProvider);
  const providerValue = providerIsSecret ? rawProvider.value : rawProvider;
  if (typeof providerValue !== "string") {
    throw new Error(`${type} ${name}: __provider is not a string (${typeof providerValue})`);
  }
  const secretInputs = Object.entries(rest)
    .filter(([, v]) => isSecretWrapped(v))
    .map(([k]) => k);
  return {
    type,
    name,
    inputs: unwrapSecrets(rest) as Record<string, unknown>,
    secretInputs,
    providerText: providerValue,
    providerIsSecret,
  };
}

/**
 * The program. Return the resource(s) it constructs: the capture then waits for each one's
 * registration to finish and fails with its error. Returning nothing falls back to waiting for
 * the runtime's RPC queue, which does not see a failure that happens before the RPC is sent.
 */
export type Construct = () =>
  | void
  | pulumi.Resource
  | readonly pulumi.Resource[]
  | Promise<void | pulumi.Resource | readonly pulumi.Resource[]>;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `construct` under fresh mocks and returns every dynamic resource it registered (those with
 * a `__provider` input), in the order the mock monitor saw them (not necessarily construction
 * order: registrations are asynchronous). Captures run one at a time.
 */
export function captureRegistration(
  construct: Construct,
  opts: CaptureOptions = {},
): Promise<CapturedResource[]> {
  const run = queue.then(() => captureNow(construct, opts));
  queue = run.catch(() => undefined);
  return run;
}

async function captureNow(construct: Construct, opts: CaptureOptions): Promise<CapturedResource[]> {
  const captured: CapturedResource[] = [];
  const errors: unknown[] = [];
  pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const inputs = args.inputs as Record<string, unknown>;
        if ("__provider" in inputs) {
          try {
            captured.push(toCaptured(args.type, args.name, inputs));
          } catch (e) {
            errors.push(e);
          }
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
      },
    },
    opts.project ?? "wacht-test",
    opts.stack ?? "test",
    false,
  );
  // A failing Output in the program (e.g. "error serializing property …") surfaces as an
  // unhandled rejection and the registration never completes: fail the capture with it at once
  // instead of waiting for the timeout. (jest also reports that rejection against the test.)
  let failCapture: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (failCapture = reject));
  const onUnhandled = (e: unknown): void => {
    errors.push(e);
    failCapture(e);
  };
  // Under jest, `process` is a sandbox copy whose events never fire; listen on the real one.
  const realProcess = vm.runInThisContext("process") as NodeJS.Process;
  realProcess.on("unhandledRejection", onUnhandled);
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  try {
    await Promise.race([
      (async () => {
        const made = await construct();
        const resources = (Array.isArray(made) ? made : [made]).filter((r): r is pulumi.Resource =>
          pulumi.Resource.isInstance(r),
        );
        // A resource's urn settles when its registration completed — or failed, with the error
        // (e.g. "error serializing property …") — which waitForRPCs alone does not cover.
        await Promise.all(
          resources.map((r) => (r.urn as unknown as { promise(): Promise<string> }).promise()),
        );
        await waitForRPCs();
      })(),
      failed,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`registrations did not settle within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    realProcess.off("unhandledRejection", onUnhandled);
  }
  if (errors.length > 0) throw errors[0];
  return captured;
}

/** Convenience: exactly one dynamic resource must have been registered. */
export async function captureOne(
  construct: Construct,
  opts?: CaptureOptions,
): Promise<CapturedResource> {
  const all = await captureRegistration(construct, opts);
  if (all.length !== 1) throw new Error(`expected 1 dynamic resource, captured ${all.length}`);
  return all[0]!;
}
