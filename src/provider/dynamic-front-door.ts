// The dynamic front door: what the Node dynamic-provider host calls, in front of an implementation
// (docs/architecture.md, "Between the program and the implementations"). The host passes no URN,
// so the program passes it as an internal input (src/resource/resource-urn.ts): taken out of the
// inputs and states here (the implementation's rules and digests never see it), kept in the
// outputs (a refresh and a delete get only those), and every call runs in the resource's logging
// context (log.ts). A state written before the key existed logs without a resource until its next
// update. The engine's address, which the host does not pass either, is its last argument.
import { RESOURCE_URN_KEY } from "../resource/resource-urn";
import { UNKNOWN } from "../schema/user-fields";
import { connectEngine, refFromUrn, withResource as logContext, type ResourceRef } from "./log";
import type { ShimmedProvider } from "./engine-facing";

type Props = Record<string, unknown>;

/** Runs `fn` in the context of resource `ref` (the logging seam's `withResource`). */
export type WithResource = <T>(ref: ResourceRef, fn: () => Promise<T>) => Promise<T>;

let connected = false;

/**
 * The engine's address when this process is the Node dynamic-provider host, which the engine
 * starts with it as its last argument (after optional flags: `--logtostderr`, `-v=N`,
 * `--tracing URL`) but does not hand to providers. Undefined elsewhere (a test, a program).
 */
export function engineAddressOf(argv: readonly string[]): string | undefined {
  if (!/dynamic-provider/.test(argv[1] ?? "")) return undefined;
  const last = argv[argv.length - 1];
  return argv.length > 2 && last !== undefined && /^[^-\s][^\s]*:\d+$/.test(last)
    ? last
    : undefined;
}

/** The URN carried by `props`, if it is one (an unknown at preview is none). */
function urnOf(props: unknown): string | undefined {
  const value = (props as Props | undefined)?.[RESOURCE_URN_KEY];
  return typeof value === "string" && value.startsWith("urn:") && value !== UNKNOWN
    ? value
    : undefined;
}

/** Inputs the program passes under an internal key (no plan prints them): internal → own name. */
export type InternalInputs = Readonly<Record<string, string>>;

/** `props` with `drop` removed and each `[from, to]` key renamed (anything but a record as is). */
function renamed<T>(props: T, renames: readonly (readonly [string, string])[], drop?: string): T {
  if (props === null || typeof props !== "object") return props;
  const out = { ...(props as Props) };
  if (drop !== undefined) delete out[drop];
  for (const [from, to] of renames) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out as T;
}

/** `props` with the URN kept (when known). */
function keeping<T>(props: T, urn: string | undefined): T {
  if (urn === undefined || props === null || typeof props !== "object") return props;
  return { ...(props as Props), [RESOURCE_URN_KEY]: urn } as T;
}

/**
 * `impl` behind the dynamic front door. `type` is the resource type users know (`wacht.User`);
 * `withResource` is the logging seam's (a test passes its own); `internalInputs` are inputs the
 * program passes under an internal key (the census's declared ids).
 */
export function dynamicFrontDoor<I, S>(
  impl: ShimmedProvider<I, S>,
  type: string,
  options: { withResource?: WithResource; internalInputs?: InternalInputs } = {},
): ShimmedProvider<I, S> {
  const withResource = options.withResource ?? logContext;
  // As the implementation reads them: no URN, internal inputs under their own names; and back.
  const toImpl = Object.entries(options.internalInputs ?? {});
  const toEngine = toImpl.map(([key, name]) => [name, key] as const);
  const without = <T>(props: T): T => renamed(props, toImpl, RESOURCE_URN_KEY);
  // Warnings go to the engine's Log RPC, with the URN, once the process knows where it is.
  const address = engineAddressOf(process.argv);
  if (!connected && address !== undefined && withResource === logContext) {
    connectEngine(address);
    connected = true;
  }
  const within = <T>(urn: string | undefined, fn: () => Promise<T>): Promise<T> =>
    withResource(urn === undefined ? { type } : { ...refFromUrn(urn), type }, fn);
  return {
    configure: (req) => impl.configure(req),
    check: async (olds, news) => {
      const urn = urnOf(news);
      const result = await within(urn, () => impl.check(without(olds), without(news)));
      // An unknown URN (preview, when a key it waits for is unknown) passes through as it came.
      const kept = urn ?? (news[RESOURCE_URN_KEY] === UNKNOWN ? UNKNOWN : undefined);
      if (result.inputs === undefined) return result;
      const inputs = renamed(result.inputs as Props, toEngine);
      return {
        ...result,
        inputs: kept === undefined ? inputs : { ...inputs, [RESOURCE_URN_KEY]: kept },
      };
    },
    diff: (id, olds, news) =>
      within(urnOf(news) ?? urnOf(olds), () => impl.diff(id, without(olds), without(news))),
    create: async (inputs) => {
      const urn = urnOf(inputs);
      const result = await within(urn, () => impl.create(without(inputs)));
      return { ...result, outs: keeping(result.outs as Props | undefined, urn) };
    },
    read: async (id, state) => {
      const urn = urnOf(state);
      const result = await within(urn, () => impl.read(id, without(state)));
      const read = { ...result, props: keeping(result.props as Props | undefined, urn) };
      return result.inputs === undefined
        ? read
        : { ...read, inputs: keeping(result.inputs as Props, urn) };
    },
    update: async (id, olds, news) => {
      const urn = urnOf(news) ?? urnOf(olds);
      const result = await within(urn, () => impl.update(id, without(olds), without(news)));
      return { ...result, outs: keeping(result.outs as Props | undefined, urn) };
    },
    delete: (id, state) => within(urnOf(state), () => impl.delete(id, without(state))),
  };
}
