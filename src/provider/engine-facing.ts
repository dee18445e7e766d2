// What the engine's dynamic-provider host calls, and how a serialized shim (./shim.ts,
// ../census/shim.ts; docs/decisions/0003-provider-shim.md) reaches an implementation: by package
// name, at call time, in the provider process. Nothing here is serialized by value in a user's
// program: the shims are required from node_modules by path.
import type * as pulumi from "@pulumi/pulumi";
import { jsonEqual } from "../diff/json-equal";

type Props = Record<string, unknown>;

/**
 * What an implementation loaded by a shim provides, typed by its declaration (`I`, what `check`
 * returned) and state (`S`, without the engine's `__provider`). `check` alone sees the engine's
 * untyped record: validating it is its job.
 */
export interface ShimmedProvider<I = Props, S = Props> {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: S, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, state: S): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: S, news: I): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, state: S): Promise<void>;
}

/** A state as the engine sends it, without the engine's own `__provider` key. */
function stateOf(props: Props): Props {
  const rest = { ...props };
  delete rest["__provider"];
  return rest;
}

/**
 * A refresh that finds the state unchanged returns no inputs, so the engine keeps the recorded ones
 * (what `check` returned at the last `up`; docs/pulumi-engine.md §4). Inputs rebuilt from a state
 * can differ from those where no plan shows it (a password declared without a version is not in
 * the state), and the engine rewrites the whole checkpoint for every resource whose recorded
 * inputs differ from the program's at its next same step: an `up --refresh` of N unchanged users
 * wrote N checkpoints, O(N²) bytes (issue #19, bench:floor).
 */
function keepRecordedInputs(
  result: pulumi.dynamic.ReadResult,
  state: Props,
): pulumi.dynamic.ReadResult {
  if (result.inputs === undefined || !jsonEqual(result.props, state)) return result;
  const kept = { ...result };
  delete kept.inputs;
  return kept;
}

/** The engine's view of an implementation: untyped records cast to its types here only. */
export function engineFacing<I, S>(impl: ShimmedProvider<I, S>): ShimmedProvider {
  return {
    configure: (req) => impl.configure(req),
    check: (olds, news) => impl.check(olds, news),
    diff: (id, olds, news) => impl.diff(id, stateOf(olds) as S, news as I),
    create: (inputs) => impl.create(inputs as I),
    read: async (id, props) => {
      const state = stateOf(props);
      return keepRecordedInputs(await impl.read(id, state as S), state);
    },
    update: (id, olds, news) => impl.update(id, stateOf(olds) as S, news as I),
    delete: (id, props) => impl.delete(id, stateOf(props) as S),
  };
}

/** One engine-facing instance per process, made on first use: every call of the type reaches it. */
export function perProcess<I, S>(create: () => ShimmedProvider<I, S>): () => ShimmedProvider {
  let instance: ShimmedProvider | undefined;
  return () => (instance ??= engineFacing(create()));
}

/**
 * The serialized provider of a resource type: each method loads `subpath` of this package by name
 * in the provider process and calls the function `accessor` exports (a `perProcess` accessor).
 * It holds two strings and no state, so it works the same whether the serializer requires its
 * module (a user's program: the package is under node_modules) or copies it (a linked checkout).
 */
export function shimFor(subpath: string, accessor: string): ShimmedProvider {
  const target = (): ShimmedProvider =>
    // Resolved from the provider process's working directory: the user's program, where the
    // package is installed. The run-time require is deliberate (ADR 0003).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(subpath) as Record<string, () => ShimmedProvider>)[accessor]!();
  return {
    configure: (req) => target().configure(req),
    check: (olds, news) => target().check(olds, news),
    diff: (id, olds, news) => target().diff(id, olds, news),
    create: (inputs) => target().create(inputs),
    read: (id, props) => target().read(id, props),
    update: (id, olds, news) => target().update(id, olds, news),
    delete: (id, props) => target().delete(id, props),
  };
}
