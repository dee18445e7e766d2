// What the server needs of a resource type's front door: the lifecycle calls with the resource's
// URN, and which properties are secret on the way out (the engine strips secrets before calling
// this provider, and stores what it answers: docs/decisions/0013-native-provider.md).
import type { CheckFailure } from "../schema/check-failures";
import type { Props } from "./protocol";

export interface ResourceDoor {
  readonly secretInputs: readonly string[];
  readonly secretOutputs: readonly string[];
  check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(
    urn: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{
    changes?: boolean;
    replaces?: string[];
    deleteBeforeReplace?: boolean;
    /** The properties that change, for the detailed diff (undefined: none is sent). */
    changed?: string[];
  }>;
  create(urn: string, news: Props): Promise<{ id: string; outs: Props }>;
  /** An empty `props` is an import (or a get): read by id alone. `id: ""`: gone. */
  read(
    urn: string,
    id: string,
    props: Props,
  ): Promise<{ id: string; props?: Props; inputs?: Props }>;
  update(urn: string, id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(urn: string, id: string, props: Props): Promise<void>;
}
