// The ONLY objects Pulumi serializes into state as `__provider` (ADR 0003): one per resource type,
// holding the package subpath of its implementation and the name of its factory. Each method loads
// the implementation by package name in the provider process, so `__provider` holds no credential,
// no library object and no copy of our code: upgrading pulumi-wacht changes the code that runs.
// (The engine keeps the stack config, wacht:apiKey included, in its default provider's own state
// entry: README "Configuration".) Keep this file free of imports other than types.
import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

/**
 * What an implementation loaded by a shim provides: every method the shim delegates, typed
 * against the implementation's own declaration (`I`, the inputs `check` returned) and state
 * (`S`, the outputs it recorded, without the engine's `__provider`). `check` alone sees the
 * engine's untyped record: validating it is its job.
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
 * The engine's view of an implementation: untyped records in, cast to the implementation's types
 * HERE and nowhere else (inputs after `check` validated them; states the implementation wrote).
 */
export function engineFacing<I, S>(impl: ShimmedProvider<I, S>): ShimmedProvider {
  return {
    configure: (req) => impl.configure(req),
    check: (olds, news) => impl.check(olds, news),
    diff: (id, olds, news) => impl.diff(id, stateOf(olds) as S, news as I),
    create: (inputs) => impl.create(inputs as I),
    read: (id, props) => impl.read(id, stateOf(props) as S),
    update: (id, olds, news) => impl.update(id, stateOf(olds) as S, news as I),
    delete: (id, props) => impl.delete(id, stateOf(props) as S),
  };
}

/** Delegates every provider method to one lazily loaded implementation instance. */
export class ProviderShim implements pulumi.dynamic.ResourceProvider {
  private implementation: ShimmedProvider | undefined;

  /**
   * @param subpath the implementation's package subpath (package.json "exports")
   * @param factory the name of the function of that module that creates the implementation
   */
  constructor(
    private readonly subpath: string,
    private readonly factory: string,
  ) {}

  private impl(): ShimmedProvider {
    if (this.implementation === undefined) {
      // Resolved from the provider process's working directory: the user's program, where the
      // package is installed. The run-time require is deliberate.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(this.subpath) as Record<string, () => ShimmedProvider<never, never>>;
      this.implementation = engineFacing(mod[this.factory]!());
    }
    return this.implementation;
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    await this.impl().configure(req);
  }

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return this.impl().check(olds, news);
  }

  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return this.impl().diff(id, olds, news);
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    return this.impl().create(inputs);
  }

  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    return this.impl().read(id, props);
  }

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    return this.impl().update(id, olds, news);
  }

  async delete(id: string, props: Props): Promise<void> {
    return this.impl().delete(id, props);
  }
}

/** The User provider's one shared shim (the SDK caches serialization per provider object). */
export const userProviderShim = new ProviderShim(
  "pulumi-wacht/provider-impl",
  "createUserProvider",
);
