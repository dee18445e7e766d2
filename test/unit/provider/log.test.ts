// The logging seam (src/provider/log.ts): the current resource's URN travels with each message to
// the engine's sink; without a sink the message names the resource and goes through pulumi.log.
import {
  info,
  refFromUrn,
  setLogSink,
  warn,
  withResource,
  type LogSink,
} from "../../../src/provider/log";
import { captureWarnings } from "../../helpers/warnings";

const URN = "urn:pulumi:dev::proj::wacht:index:User::alice";

afterEach(() => setLogSink(undefined));

test("refFromUrn names the type and the resource, also under a parent", () => {
  expect(refFromUrn(URN)).toEqual({ urn: URN, name: "alice", type: "wacht:index:User" });
  expect(refFromUrn("urn:pulumi:dev::proj::my:Component$wacht:index:User::bob").type).toBe(
    "wacht:index:User",
  );
});

test("without an engine: pulumi.log, prefixed with the type (and the name when known)", async () => {
  const warnings = captureWarnings();
  warn("outside any resource");
  await withResource({ type: "wacht.User", name: "alice" }, async () => warn("inside"));
  expect(warnings.done()).toEqual([
    "warning: [runtime] wacht.User: outside any resource",
    'warning: [runtime] wacht.User "alice": inside',
  ]);
});

test("with an engine: each message carries the current resource's URN and names it (diff output prints no resource); info at info", async () => {
  const sent: Parameters<LogSink>[] = [];
  setLogSink(async (...args) => {
    sent.push(args);
  });
  await Promise.all([
    withResource(refFromUrn(URN), async () => {
      await new Promise((r) => setTimeout(r, 5));
      warn("first");
    }),
    withResource(refFromUrn(URN.replace("alice", "bob")), async () => info("second")),
  ]);
  expect(sent).toEqual(
    expect.arrayContaining([
      ["warning", 'wacht:index:User "alice": first', URN],
      ["info", 'wacht:index:User "bob": second', URN.replace("alice", "bob")],
    ]),
  );
  expect(sent).toHaveLength(2);
});

test("withResource returns only after its messages reached the engine", async () => {
  const order: string[] = [];
  setLogSink(
    () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push("delivered");
          resolve();
        }, 20),
      ),
  );
  await withResource(refFromUrn(URN), async () => warn("slow"));
  order.push("returned");
  expect(order).toEqual(["delivered", "returned"]);
});

test("a message the engine refuses goes to stderr, naming the resource", async () => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  setLogSink(() => Promise.reject(new Error("engine gone")));
  try {
    await withResource(refFromUrn(URN), async () => warn("lost?"));
  } finally {
    spy.mockRestore();
  }
  expect(written).toEqual(['warning: wacht:index:User "alice": lost?\n']);
});

test("onlyIfSucceeds: the messages of a failed call are dropped, of a successful one said", async () => {
  const sent: string[] = [];
  setLogSink(async (_severity, message) => {
    sent.push(message);
  });
  await expect(
    withResource(
      refFromUrn(URN),
      async () => {
        warn("dropped");
        throw new Error("no such user");
      },
      { onlyIfSucceeds: true },
    ),
  ).rejects.toThrow("no such user");
  await withResource(refFromUrn(URN), async () => warn("said"), { onlyIfSucceeds: true });
  expect(sent).toEqual([`wacht:index:User "alice": said`]);
});
