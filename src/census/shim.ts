// The object Pulumi serializes into a wacht.UserCensus's state as `__provider`: the same shim as
// the User provider's (src/provider/shim.ts, docs/decisions/0003), pointed at the census
// implementation. It holds two strings and nothing else.
import { ProviderShim } from "../provider/shim";

/** The one shared instance (the SDK caches serialization per provider object). */
export const userCensusProviderShim = new ProviderShim(
  "pulumi-wacht/census-impl",
  "createCensusProvider",
);
