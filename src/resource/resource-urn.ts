// How a dynamic resource's provider learns which resource it is serving. The Node dynamic-provider
// host receives each request's URN from the engine but calls `check`, `diff`, `create`, `read`,
// `update` and `delete` without it (@pulumi/pulumi cmd/dynamic-provider), so a warning could only
// be logged under the stack, naming a user by its numeric id. The program knows the URN: it
// passes it as one more input, under a key the engine's display never prints (a key starting with
// `__` is internal: pulumi's `resource.IsInternalPropertyKey`), and the provider's front door
// (src/provider/dynamic-front-door.ts) takes it out before the implementation sees the inputs and
// keeps it in the outputs, so a refresh or a delete (which get only the outputs) know it too.
import * as pulumi from "@pulumi/pulumi";

/** The input and output key that carries the resource's URN (never displayed, never diffed). */
export const RESOURCE_URN_KEY = "__resourceUrn";

/**
 * The URN of the resource being constructed, as an input value: `pulumi.createUrn` from its
 * name, its type token and its parent, known at preview. `after` (optional) is something the
 * resource's registration must wait for (a check that may reject); its value is not used.
 * A resource without a parent and with nothing to wait for (the common case) gets the URN as a
 * plain string, as `createUrn` spells it: the Outputs `createUrn` and `pulumi.all` build were
 * 6 % of what a program of 300 Users allocated in a no-op `up` (BENCHMARKS.md, "At the engine's
 * floor").
 */
export function resourceUrnInput(
  name: string,
  type: string,
  opts: pulumi.CustomResourceOptions | undefined,
  after?: pulumi.Output<unknown>,
): pulumi.Input<string> {
  if (opts?.parent === undefined && after === undefined) {
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
  }
  const urn = pulumi.createUrn(name, type, opts?.parent);
  if (after === undefined) return urn;
  // `after` may derive from secret inputs: the URN itself is not secret.
  return pulumi.unsecret(pulumi.all([urn, after]).apply(([u]) => u));
}
