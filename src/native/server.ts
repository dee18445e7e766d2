// The `wacht` provider plugin's gRPC service: Pulumi's ResourceProvider protocol served on the
// SDK's generated stubs (as @pulumi/pulumi's own dynamic-provider host serves it), in front of
// the implementations the dynamic resources run. docs/decisions/0013-native-provider.md has the
// design; in short:
// - Configure takes the provider's settings from its inputs (the stack's wacht:* config for the
//   default provider, an explicit provider's own args) and answers acceptSecrets=false: the
//   engine then hands every call plain values, as the shared implementations expect, and this
//   server marks the table's secret properties secret in everything it answers;
// - supportsPreview=false: the engine calls no Create or Update during a preview;
// - each resource call runs with its URN as the current resource, so warnings attach to it.
import type * as grpcT from "@grpc/grpc-js";
import type * as provpbT from "@pulumi/pulumi/proto/provider_pb";
import { resolveProviderSettings, type StackConfigValues } from "../config/provider-config";
import { refFromUrn, withResource } from "../provider/log";
import type { CheckFailure } from "../schema/check-failures";
import { getUserMemberships, parentRoles } from "../membership/invokes";
import { MemberRoleProvider } from "../membership/member-role-provider";
import { MembershipProvider } from "../membership/membership-provider";
import { processMemberships } from "../membership/runtime";
import { CensusDoor } from "./census-door";
import { GetUser, lookupKeyOf } from "./get-user";
import { MembershipDoor } from "./membership-door";
import { nativeToken, SCOPES, USER_MEMBERSHIPS_TOKEN } from "./membership-schema";
import {
  emptypb,
  fromStruct,
  grpc,
  grpcError,
  markSecrets,
  pluginpb,
  provpb,
  provrpc,
  toStruct,
  type Props,
} from "./protocol";
import { changedSettings, checkSettings, configureRequest, settingsOf } from "./provider-settings";
import type { ResourceDoor } from "./resource-door";
import { packageSchema, TOKENS } from "./schema";
import { UserDoor } from "./user-door";

type Handler<Req, Res> = (req: Req) => Promise<Res>;
const Kind = provpb.PropertyDiff.Kind;
const Changes = provpb.DiffResponse.DiffChanges;

/** Failures as the protocol carries them. */
function checkFailures(failures: readonly { property: string; reason: string }[]) {
  return failures.map((f) => {
    const failure = new provpb.CheckFailure();
    failure.setProperty(f.property);
    failure.setReason(f.reason);
    return failure;
  });
}

/** The detailed diff of `changed` properties: added, deleted or updated, replacing or not. */
function detailedDiff(
  resp: provpbT.DiffResponse,
  changed: readonly string[],
  replaces: readonly string[],
  olds: Props,
  news: Props,
): void {
  const map = resp.getDetaileddiffMap();
  for (const key of changed) {
    const replace = replaces.includes(key);
    const diff = new provpb.PropertyDiff();
    if (olds[key] === undefined || olds[key] === null) {
      diff.setKind(replace ? Kind.ADD_REPLACE : Kind.ADD);
    } else if (news[key] === undefined) {
      diff.setKind(replace ? Kind.DELETE_REPLACE : Kind.DELETE);
    } else {
      diff.setKind(replace ? Kind.UPDATE_REPLACE : Kind.UPDATE);
    }
    map.set(key, diff);
  }
  resp.setDiffsList([...changed]);
  resp.setHasdetaileddiff(true);
}

/** The provider service. One per plugin process, which the engine starts per provider. */
export class WachtProviderService {
  private settings: StackConfigValues = {};
  private readonly user = new UserDoor();
  private readonly census = new CensusDoor();
  private readonly getUser = new GetUser();
  /** The membership resources' doors by token, on the process's one membership runtime. */
  private readonly memberships = new Map(
    SCOPES.flatMap((spec) => {
      const membership = nativeToken(spec.membershipType);
      const memberRole = nativeToken(spec.memberRoleType);
      return [
        [
          membership,
          new MembershipDoor(new MembershipProvider(spec, processMemberships()), membership),
        ],
        [
          memberRole,
          new MembershipDoor(new MemberRoleProvider(spec, processMemberships()), memberRole),
        ],
      ];
    }),
  );
  private schemaText: string | undefined;

  constructor(private readonly version: string) {}

  private door(urn: string): ResourceDoor {
    const type = refFromUrn(urn).type;
    if (type === TOKENS.user) return this.user;
    if (type === TOKENS.census) return this.census;
    const membership = this.memberships.get(type);
    if (membership !== undefined) return membership;
    throw new Error(`the wacht provider has no resource type ${type}`);
  }

  /** The grpc-js implementation of every RPC (unimplemented ones say so). */
  implementation(): grpcT.UntypedServiceImplementation {
    const unimplemented =
      (name: string) => (_call: unknown, callback: grpcT.sendUnaryData<never>) =>
        callback({
          code: grpc.status.UNIMPLEMENTED,
          details: `${name} is not implemented by the wacht provider`,
        });
    const unary =
      <Req, Res>(handle: Handler<Req, Res>, secretKeys?: (req: Req) => readonly string[]) =>
      (call: grpcT.ServerUnaryCall<Req, Res>, callback: grpcT.sendUnaryData<Res>) => {
        handle(call.request).then(
          (res) => callback(null, res),
          (err: unknown) => {
            let keys: readonly string[] = [];
            try {
              keys = secretKeys?.(call.request) ?? [];
            } catch {
              // an unknown type has no secrets to mark
            }
            const status = grpcError(err, keys);
            callback(status, null, status.metadata);
          },
        );
      };
    const outputsOf = (req: { getUrn(): string }) => this.door(req.getUrn()).secretOutputs;
    return {
      getPluginInfo: unary(this.getPluginInfo.bind(this)),
      getSchema: unary(this.getSchema.bind(this)),
      checkConfig: unary(this.checkConfig.bind(this)),
      diffConfig: unary(this.diffConfig.bind(this)),
      configure: unary(this.configure.bind(this)),
      invoke: unary(this.invoke.bind(this)),
      check: unary(this.check.bind(this)),
      diff: unary(this.diff.bind(this)),
      create: unary(this.create.bind(this), outputsOf),
      read: unary(this.read.bind(this)),
      update: unary(this.update.bind(this), outputsOf),
      delete: unary(this.delete.bind(this)),
      cancel: unary(async () => new emptypb.Empty()),
      getMapping: unary(async () => new provpb.GetMappingResponse()),
      getMappings: unary(async () => new provpb.GetMappingsResponse()),
      handshake: unimplemented("Handshake"),
      parameterize: unimplemented("Parameterize"),
      attach: unimplemented("Attach"),
      construct: unimplemented("Construct"),
      call: unimplemented("Call"),
      list: (call: grpcT.ServerWritableStream<unknown, unknown>) =>
        call.emit("error", {
          code: grpc.status.UNIMPLEMENTED,
          details: "List is not implemented by the wacht provider",
        }),
    };
  }

  async getPluginInfo() {
    const info = new pluginpb.PluginInfo();
    info.setVersion(this.version);
    return info;
  }

  async getSchema() {
    this.schemaText ??= JSON.stringify(packageSchema(this.version));
    const resp = new provpb.GetSchemaResponse();
    resp.setSchema(this.schemaText);
    return resp;
  }

  async checkConfig(req: provpbT.CheckRequest) {
    const { inputs, failures } = checkSettings(fromStruct(req.getNews()));
    const resp = new provpb.CheckResponse();
    resp.setInputs(toStruct(inputs));
    resp.setFailuresList(checkFailures(failures));
    return resp;
  }

  async diffConfig(req: provpbT.DiffRequest) {
    const olds = fromStruct(req.getOldInputs() ?? req.getOlds());
    const news = fromStruct(req.getNews());
    const changed = changedSettings(olds, news);
    const resp = new provpb.DiffResponse();
    resp.setChanges(changed.length > 0 ? Changes.DIFF_SOME : Changes.DIFF_NONE);
    detailedDiff(resp, changed, [], olds, news);
    return resp;
  }

  async configure(req: provpbT.ConfigureRequest) {
    const args = req.getArgs();
    if (args !== undefined) {
      this.settings = settingsOf(fromStruct(args));
    } else {
      // An engine that sends only the legacy variables (`wacht:config:apiKey`).
      const vars = Object.fromEntries(
        [...req.getVariablesMap().entries()].map(([k, v]) => [k.replace(/^wacht:config:/, ""), v]),
      );
      this.settings = settingsOf(vars);
    }
    const configure = configureRequest(this.settings);
    await this.user.impl.configure(configure);
    await this.census.impl.configure(configure);
    for (const door of this.memberships.values()) await door.impl.configure(configure);
    const resp = new provpb.ConfigureResponse();
    resp.setAcceptsecrets(false);
    resp.setSupportspreview(false);
    resp.setAcceptresources(false);
    resp.setAcceptoutputs(false);
    return resp;
  }

  async invoke(req: provpbT.InvokeRequest) {
    const resp = new provpb.InvokeResponse();
    const token = req.getTok();
    const args = fromStruct(req.getArgs());
    let outcome: { result?: object; failures?: CheckFailure[] };
    if (token === TOKENS.getUser) {
      const { key, failures } = lookupKeyOf(args);
      outcome =
        key === undefined
          ? { failures }
          : { result: await this.getUser.invoke(key, resolveProviderSettings(this.settings)) };
    } else {
      const runtime = processMemberships();
      const client = () => runtime.client(resolveProviderSettings(this.settings));
      const scope = SCOPES.find((spec) => nativeToken(spec.rolesFunction) === token);
      if (scope !== undefined) outcome = await parentRoles(runtime, client(), scope, args);
      else if (token === USER_MEMBERSHIPS_TOKEN) outcome = await getUserMemberships(client(), args);
      else throw new Error(`the wacht provider has no function ${token}`);
    }
    if (outcome.failures !== undefined) resp.setFailuresList(checkFailures(outcome.failures));
    else resp.setReturn(toStruct(outcome.result as Props));
    return resp;
  }

  async check(req: provpbT.CheckRequest) {
    const urn = req.getUrn();
    const door = this.door(urn);
    const { inputs, failures } = await withResource(refFromUrn(urn), () =>
      door.check(urn, fromStruct(req.getOlds()), fromStruct(req.getNews())),
    );
    const resp = new provpb.CheckResponse();
    resp.setInputs(toStruct(markSecrets(inputs, door.secretInputs)));
    resp.setFailuresList(checkFailures(failures));
    return resp;
  }

  async diff(req: provpbT.DiffRequest) {
    const urn = req.getUrn();
    const olds = fromStruct(req.getOlds());
    const news = fromStruct(req.getNews());
    const result = await withResource(refFromUrn(urn), () =>
      this.door(urn).diff(urn, req.getId(), olds, news),
    );
    const resp = new provpb.DiffResponse();
    resp.setChanges(
      result.changes === true
        ? Changes.DIFF_SOME
        : result.changes === false
          ? Changes.DIFF_NONE
          : Changes.DIFF_UNKNOWN,
    );
    resp.setReplacesList(result.replaces ?? []);
    resp.setDeletebeforereplace(result.deleteBeforeReplace === true);
    if (result.changed !== undefined)
      detailedDiff(resp, result.changed, result.replaces ?? [], olds, news);
    return resp;
  }

  async create(req: provpbT.CreateRequest) {
    const urn = req.getUrn();
    const door = this.door(urn);
    const news = fromStruct(req.getProperties());
    const resp = new provpb.CreateResponse();
    if (req.getPreview()) {
      resp.setProperties(toStruct(markSecrets(news, door.secretInputs)));
      return resp;
    }
    const { id, outs } = await withResource(refFromUrn(urn), () => door.create(urn, news));
    resp.setId(id);
    resp.setProperties(toStruct(markSecrets(outs, door.secretOutputs)));
    return resp;
  }

  async read(req: provpbT.ReadRequest) {
    const urn = req.getUrn();
    const door = this.door(urn);
    const props = fromStruct(req.getProperties());
    // An import (no state) says only why it failed, not what a refresh would warn about.
    const result = await withResource(refFromUrn(urn), () => door.read(urn, req.getId(), props), {
      onlyIfSucceeds: Object.keys(props).length === 0,
    });
    const resp = new provpb.ReadResponse();
    resp.setId(result.id);
    if (result.id !== "" && result.props !== undefined) {
      resp.setProperties(toStruct(markSecrets(result.props, door.secretOutputs)));
      if (result.inputs !== undefined) {
        resp.setInputs(toStruct(markSecrets(result.inputs, door.secretInputs)));
      }
    }
    return resp;
  }

  async update(req: provpbT.UpdateRequest) {
    const urn = req.getUrn();
    const door = this.door(urn);
    const news = fromStruct(req.getNews());
    const resp = new provpb.UpdateResponse();
    if (req.getPreview()) {
      resp.setProperties(toStruct(markSecrets(news, door.secretInputs)));
      return resp;
    }
    const { outs } = await withResource(refFromUrn(urn), () =>
      door.update(urn, req.getId(), fromStruct(req.getOlds()), news),
    );
    resp.setProperties(toStruct(markSecrets(outs, door.secretOutputs)));
    return resp;
  }

  async delete(req: provpbT.DeleteRequest) {
    const urn = req.getUrn();
    await withResource(refFromUrn(urn), () =>
      this.door(urn).delete(urn, req.getId(), fromStruct(req.getProperties())),
    );
    return new emptypb.Empty();
  }
}

/** Serves the provider on 127.0.0.1 (an ephemeral port); resolves to the port. */
export async function serve(version: string): Promise<{ port: number; server: grpcT.Server }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(
    provrpc.ResourceProviderService,
    new WachtProviderService(version).implementation(),
  );
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  return { port, server };
}
