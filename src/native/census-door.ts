// The native front door of `wacht:index:UserCensus`: every call goes to the implementation the
// dynamic `wacht.UserCensus` runs (createCensusProvider, src/census/census-provider.ts). A census
// holds no Wacht object, so it cannot be imported.
import { createCensusProvider, type WachtUserCensusProvider } from "../census/census-provider";
import type { ResourceDoor } from "./resource-door";
import type { Props } from "./protocol";

export class CensusDoor implements ResourceDoor {
  readonly secretInputs = [];
  readonly secretOutputs = [];

  constructor(readonly impl: WachtUserCensusProvider = createCensusProvider()) {}

  async check(_urn: string, olds: Props, news: Props) {
    const result = await this.impl.check(olds, news);
    return { inputs: (result.inputs ?? news) as Props, failures: result.failures ?? [] };
  }

  async diff(_urn: string, id: string, olds: Props, news: Props) {
    return this.impl.diff(id, olds, news);
  }

  async create(_urn: string, news: Props) {
    const result = await this.impl.create(news);
    return { id: result.id, outs: result.outs as Props };
  }

  async read(_urn: string, id: string, props: Props) {
    if (Object.keys(props).length === 0) {
      throw new Error(
        "wacht:index:UserCensus cannot be imported: it holds no Wacht object; declare it, and `pulumi up --refresh` takes the census",
      );
    }
    const result = await this.impl.read(id, props);
    return { id: result.id ?? "", props: result.props as Props | undefined };
  }

  async update(_urn: string, id: string, olds: Props, news: Props) {
    const result = await this.impl.update(id, olds, news);
    return { outs: (result.outs ?? {}) as Props };
  }

  async delete(): Promise<void> {
    await this.impl.delete();
  }
}
