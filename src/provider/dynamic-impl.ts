// What the dynamic resources' shims load by package name in the provider process
// (`pulumi-wacht/provider-impl` and `pulumi-wacht/census-impl`, package.json "exports"; the names in
// the serialized shims never change): each implementation behind the dynamic front door
// (./dynamic-front-door.ts). The native front door builds the implementations itself, from the same
// factories (src/native).
import { DECLARED_KEY } from "../census/census-inputs";
import { createCensusProvider as censusImplementation } from "../census/census-provider";
import { dynamicFrontDoor } from "./dynamic-front-door";
import type { ShimmedProvider } from "./shim";
import { createUserProvider as userImplementation } from "./user-provider";

/** `wacht.User`'s provider, as the dynamic-provider host calls it. */
export function createUserProvider(): ShimmedProvider {
  return dynamicFrontDoor(userImplementation(), "wacht.User");
}

/** `wacht.UserCensus`'s provider, as the dynamic-provider host calls it. */
export function createCensusProvider(): ShimmedProvider {
  return dynamicFrontDoor(censusImplementation(), "wacht.UserCensus", {
    internalInputs: { [DECLARED_KEY]: "declaredUserIds" },
  });
}
