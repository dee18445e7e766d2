// What the dynamic resources' shims load by package name in the provider process
// (`pulumi-wacht/provider-impl` and `pulumi-wacht/census-impl`, package.json "exports"; the names in
// the serialized shims never change): each implementation behind the dynamic front door
// (./dynamic-front-door.ts). The native front door builds the implementations itself, from the same
// factories (src/native).
import { DECLARED_KEY, DECLARED_MEMBERSHIPS_KEY } from "../census/census-inputs";
import { createCensusProvider as censusImplementation } from "../census/census-provider";
import { dynamicFrontDoor } from "./dynamic-front-door";
import { perProcess, type ShimmedProvider } from "./engine-facing";
import { createUserProvider as userImplementation } from "./user-provider";

/** `wacht.User`'s provider, as the dynamic-provider host calls it. */
export function createUserProvider(): ShimmedProvider {
  return dynamicFrontDoor(userImplementation(), "wacht.User");
}

/** `wacht.UserCensus`'s provider, as the dynamic-provider host calls it. */
export function createCensusProvider(): ShimmedProvider {
  return dynamicFrontDoor(censusImplementation(), "wacht.UserCensus", {
    internalInputs: {
      [DECLARED_KEY]: "declaredUserIds",
      [DECLARED_MEMBERSHIPS_KEY]: "declaredMemberships",
    },
  });
}

/** The process's one provider of each type as the engine sees it: what the shims delegate to
 * (src/provider/shim.ts, src/census/shim.ts). `createUserProvider` and `createCensusProvider` stay
 * for states written by pulumi-wacht <= 0.1.0, whose by-value shim calls them once per process. */
export const engineUserProvider = perProcess(createUserProvider);
export const engineCensusProvider = perProcess(createCensusProvider);
