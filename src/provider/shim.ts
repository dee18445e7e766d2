// The ONLY object Pulumi serializes into state as `__provider` (docs/decisions/0003). Each method
// loads the implementation by package name inside the provider process, so the state holds no
// credential, no library object (zod schema, undici agent) and no copy of our code: upgrading
// pulumi-wacht changes the code that runs. Keep this file free of imports other than types.
import type * as pulumi from "@pulumi/pulumi";
import type { WachtUserProvider } from "./user-provider";

/** The package subpath of the implementation (see package.json "exports"). */
const IMPLEMENTATION = "pulumi-wacht/provider-impl";

function loadImplementation(): WachtUserProvider {
  // Resolved from the provider process's working directory: the user's program, where the
  // package is installed. eslint-disable-next-line is for the deliberate run-time require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(IMPLEMENTATION) as { createUserProvider(): WachtUserProvider };
  return mod.createUserProvider();
}

/** Delegates every provider method to one lazily created implementation instance. */
export class UserProviderShim implements pulumi.dynamic.ResourceProvider {
  private implementation: WachtUserProvider | undefined;

  private impl(): WachtUserProvider {
    if (this.implementation === undefined) this.implementation = loadImplementation();
    return this.implementation;
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    await this.impl().configure(req);
  }

  async check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.CheckResult> {
    return this.impl().check(olds, news);
  }

  async diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult> {
    return this.impl().diff(id, olds, news);
  }

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    return this.impl().create(inputs);
  }

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    return this.impl().read(id, props);
  }

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult> {
    return this.impl().update(id, olds, news);
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    return this.impl().delete(id, props);
  }
}

/** The one shared instance (the SDK caches serialization per provider object). */
export const userProviderShim = new UserProviderShim();
