// Warnings and info from the provider process, attached to the resource they concern: a front
// door runs each engine call inside `withResource(ref, fn)`, and `warn`/`info` below it name that
// resource's type (the logging seam; the native provider's version also delivers to the engine's
// Log RPC). pulumi.log reports to the engine when one is attached and falls back to stderr
// otherwise, which the engine shows as diagnostics for dynamic providers.
import { AsyncLocalStorage } from "node:async_hooks";
import * as pulumi from "@pulumi/pulumi";

/** The resource a message concerns. */
export interface ResourceRef {
  urn?: string;
  name?: string;
  /** The type as users know it: `wacht.User`, `wacht.OrganizationMembership`, … */
  type: string;
}

const context = new AsyncLocalStorage<ResourceRef>();

/** Runs `fn` with `ref` as the current resource. */
export function withResource<T>(ref: ResourceRef, fn: () => Promise<T>): Promise<T> {
  return context.run(ref, fn);
}

function named(message: string): string {
  const ref = context.getStore() ?? { type: "wacht.User" };
  return `${ref.name === undefined ? ref.type : `${ref.type} "${ref.name}"`}: ${message}`;
}

/** Emits a warning that users see in `pulumi up` / `refresh` output. */
export function warn(message: string): void {
  void pulumi.log.warn(named(message));
}

/** Emits information users see in `pulumi up` output. */
export function info(message: string): void {
  void pulumi.log.info(named(message));
}
