// The ONLY object Pulumi serializes into a wacht.UserCensus's state as `__provider`, for the same
// reasons as the User provider's shim (docs/decisions/0003): each method loads the implementation
// by package name in the provider process, so the state holds no credential and no copy of our
// code. Keep this file free of imports other than types.
import type * as pulumi from "@pulumi/pulumi";
import type { WachtUserCensusProvider } from "./census-provider";

/** The package subpath of the implementation (see package.json "exports"). */
const IMPLEMENTATION = "pulumi-wacht/census-impl";

function loadImplementation(): WachtUserCensusProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(IMPLEMENTATION) as { createCensusProvider(): WachtUserCensusProvider };
  return mod.createCensusProvider();
}

/** Delegates every provider method to one lazily created implementation instance. */
export class UserCensusProviderShim implements pulumi.dynamic.ResourceProvider {
  private implementation: WachtUserCensusProvider | undefined;

  private impl(): WachtUserCensusProvider {
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

  async delete(): Promise<void> {
    return this.impl().delete();
  }
}

/** The one shared instance (the SDK caches serialization per provider object). */
export const userCensusProviderShim = new UserCensusProviderShim();
