// The dynamic front door (src/provider/dynamic-front-door.ts): the implementation never sees the
// URN the program passes, the outputs keep it (a refresh and a delete get only those), and every
// call runs in its resource's context; an unknown URN at preview passes through untouched.
import {
  dynamicFrontDoor,
  engineAddressOf,
  type WithResource,
} from "../../../src/provider/dynamic-front-door";
import { info, setLogSink, warn } from "../../../src/provider/log";
import type { ShimmedProvider } from "../../../src/provider/engine-facing";
import { RESOURCE_URN_KEY } from "../../../src/resource/resource-urn";
import { UNKNOWN } from "../../../src/schema/user-fields";

const URN = "urn:pulumi:prod::gitops::pulumi-nodejs:dynamic/wacht:User::ada";
type Props = Record<string, unknown>;

function fixture() {
  const seen: { method: string; args: unknown[]; context: unknown }[] = [];
  let context: unknown;
  const withResource: WithResource = async (ref, fn) => {
    const outer = context;
    context = ref;
    try {
      return await fn();
    } finally {
      context = outer;
    }
  };
  const record = (method: string, args: unknown[]) => seen.push({ method, args, context });
  const impl: ShimmedProvider = {
    configure: async () => undefined,
    check: async (olds, news) => (
      record("check", [olds, news]),
      { inputs: { ...news, checked: true } }
    ),
    diff: async (id, olds, news) => (record("diff", [id, olds, news]), { changes: false }),
    create: async (inputs) => (record("create", [inputs]), { id: "1", outs: { userId: "1" } }),
    read: async (id, state) => (record("read", [id, state]), { id, props: { userId: id } }),
    update: async (id, olds, news) => (
      record("update", [id, olds, news]),
      { outs: { userId: id } }
    ),
    delete: async (id, state) => void record("delete", [id, state]),
  };
  return { seen, door: dynamicFrontDoor(impl, "wacht.User", { withResource }) };
}

it("takes the URN out of what the implementation sees and keeps it in the outputs", async () => {
  const { seen, door } = fixture();
  const news: Props = { emailAddress: "ada@example.com", [RESOURCE_URN_KEY]: URN };
  const checked = await door.check({}, news);
  expect(checked.inputs).toEqual({
    emailAddress: "ada@example.com",
    checked: true,
    [RESOURCE_URN_KEY]: URN,
  });
  const created = await door.create(checked.inputs as Props);
  expect(created.outs).toEqual({ userId: "1", [RESOURCE_URN_KEY]: URN });
  const state = created.outs as Props;
  expect((await door.read("1", state)).props).toEqual(created.outs);
  expect((await door.update("1", state, checked.inputs as Props)).outs).toEqual(created.outs);
  await door.diff("1", state, checked.inputs as Props);
  await door.delete("1", state);
  for (const call of seen) {
    expect(JSON.stringify(call.args)).not.toContain(RESOURCE_URN_KEY);
    expect(call.context).toEqual({ urn: URN, name: "ada", type: "wacht.User" });
  }
  expect(seen.map((c) => c.method)).toEqual([
    "check",
    "create",
    "read",
    "update",
    "diff",
    "delete",
  ]);
});

it("an unknown URN at preview passes through; a state without one runs with the type alone", async () => {
  const { seen, door } = fixture();
  const checked = await door.check({}, { username: "ada", [RESOURCE_URN_KEY]: UNKNOWN });
  expect(checked.inputs).toEqual({ username: "ada", checked: true, [RESOURCE_URN_KEY]: UNKNOWN });
  const read = await door.read("1", { userId: "1" });
  expect(read.props).toEqual({ userId: "1" });
  expect(seen.map((c) => c.context)).toEqual([{ type: "wacht.User" }, { type: "wacht.User" }]);
});

it("with the logging seam, a warning of any call is delivered with its resource's URN", async () => {
  const delivered: [string, string, string | undefined][] = [];
  setLogSink(async (severity, message, urn) => {
    delivered.push([severity, message, urn]);
  });
  try {
    const impl: ShimmedProvider = {
      configure: async () => undefined,
      check: async (_o, news) => ({ inputs: news }),
      diff: async () => {
        warn("disabling revokes every session");
        return { changes: true };
      },
      create: async () => ({ id: "1" }),
      read: async (id) => {
        info("no longer exists");
        return { id };
      },
      update: async () => ({}),
      delete: async () => undefined,
    };
    const door = dynamicFrontDoor(impl, "wacht.User");
    await door.diff("1", { [RESOURCE_URN_KEY]: URN }, { [RESOURCE_URN_KEY]: URN });
    await door.read("1", {});
  } finally {
    setLogSink(undefined);
  }
  expect(delivered).toEqual([
    ["warning", 'wacht.User "ada": disabling revokes every session', URN],
    // A state without a URN (written by an older version): named by type in the text instead.
    ["info", "wacht.User: no longer exists", undefined],
  ]);
});

it("finds the engine's address only in the dynamic-provider host's arguments", () => {
  const host = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
  expect(engineAddressOf(["node", host, "127.0.0.1:41234"])).toBe("127.0.0.1:41234");
  expect(
    engineAddressOf(["node", host, "--logtostderr", "-v=9", "--tracing", "t", "localhost:5"]),
  ).toBe("localhost:5");
  expect(engineAddressOf(["node", host])).toBeUndefined();
  expect(engineAddressOf(["node", "/usr/bin/jest", "127.0.0.1:1"])).toBeUndefined();
});
