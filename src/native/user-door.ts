// The native front door of `wacht:index:User`: each engine call goes to the same implementation
// the dynamic `wacht.User` runs (createUserProvider, src/provider/user-provider.ts), with what the
// native protocol adds around it:
// - the password stays write-only without a handle in the inputs: `check` keeps it in this
//   process's memory as it does for the dynamic resource; this door remembers which resources
//   (by URN) declared one and tells create/update/diff so, as the dynamic inputs' marker would;
// - import: a Read with no state reads the user by id, or fails with "Wacht user <id> does not
//   exist", and declares what importInputs (src/provider/import-inputs.ts) says.
import { importInputs } from "../provider/import-inputs";
import { PASSWORD_HELD } from "../provider/password-vault";
import { createUserProvider, type WachtUserProvider } from "../provider/user-provider";
import { SECRET_INPUTS, SECRET_OUTPUTS } from "../schema/user-field-lists";
import { isUserId } from "../schema/user-inputs";
import type { UserDeclaration, UserOutputs } from "../schema/user-state";
import type { ResourceDoor } from "./resource-door";
import type { Props } from "./protocol";

export class UserDoor implements ResourceDoor {
  readonly secretInputs = SECRET_INPUTS;
  readonly secretOutputs = SECRET_OUTPUTS;
  /** Resources whose declaration, as checked by this process, holds a password. */
  private readonly passwords = new Set<string>();

  constructor(readonly impl: WachtUserProvider = createUserProvider()) {}

  /** The checked inputs as the implementation knows them: with the password marker if declared. */
  private declaration(urn: string, news: Props): UserDeclaration {
    const marked = this.passwords.has(urn) ? { ...news, passwordHandle: PASSWORD_HELD } : news;
    return marked as UserDeclaration;
  }

  async check(urn: string, olds: Props, news: Props) {
    const result = await this.impl.check(olds, news);
    const inputs = { ...(result.inputs as Props) };
    if (inputs["passwordHandle"] !== undefined) this.passwords.add(urn);
    else this.passwords.delete(urn);
    delete inputs["passwordHandle"];
    return { inputs, failures: result.failures ?? [] };
  }

  async diff(urn: string, id: string, olds: Props, news: Props) {
    const result = await this.impl.diff(id, olds, this.declaration(urn, news));
    return { ...result, changed: result.changedProperties };
  }

  async create(urn: string, news: Props) {
    const result = await this.impl.create(this.declaration(urn, news));
    return { id: result.id, outs: result.outs as Props };
  }

  async read(_urn: string, id: string, props: Props) {
    if (Object.keys(props).length > 0) {
      const result = await this.impl.read(id, props);
      if (!result.id) return { id: "" };
      const inputs = { ...(result.inputs as Props | undefined) };
      delete inputs["passwordHandle"];
      return { id: result.id, props: result.props as Props, inputs };
    }
    // `pulumi import`, the import option or a get: read by id; no user, no resource.
    const gone = new Error(`Wacht user ${id} does not exist`);
    if (!isUserId(id)) throw gone;
    const result = await this.impl.read(id, {});
    if (!result.id || result.props === undefined) throw gone;
    const state = result.props as UserOutputs;
    const { inputs, managedFields } = importInputs(state);
    return { id: result.id, props: { ...state, managedFields } as Props, inputs: inputs as Props };
  }

  async update(urn: string, id: string, olds: Props, news: Props) {
    const result = await this.impl.update(id, olds, this.declaration(urn, news));
    return { outs: (result.outs ?? {}) as Props };
  }

  async delete(_urn: string, id: string, props: Props) {
    await this.impl.delete(id, props);
  }
}
