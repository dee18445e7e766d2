// The URN a wacht.User passes to its provider (src/resource/resource-urn.ts) is the URN the SDK
// gives the resource: as a plain string for a top-level User with known keys, and through
// `pulumi.createUrn` under a parent or with keys known only later (Outputs).
import * as pulumi from "@pulumi/pulumi";
import { captureRegistration } from "../../helpers/capture";
import { User } from "../../../src";

jest.setTimeout(30_000);

class Team extends pulumi.ComponentResource {
  constructor(name: string) {
    super("acme:index:Team", name);
  }
}

it("passes each User the URN the SDK gives it: top level, under a parent, and with keys known later", async () => {
  const urns = new Map<string, pulumi.Output<string>>();
  const captured = await captureRegistration(() => {
    const top = new User("top", { emailAddress: "top@example.com", firstName: "Top" });
    const team = new Team("platform");
    const child = new User(
      "child",
      { emailAddress: "child@example.com", firstName: "Child" },
      { parent: team },
    );
    const later = new User("later", {
      emailAddress: pulumi.output("later@example.com"),
      firstName: "Later",
    });
    urns.set("top", top.urn).set("child", child.urn).set("later", later.urn);
    return [top, child, later];
  });
  const byName = new Map(captured.map((c) => [c.name, c.inputs["__resourceUrn"]]));
  expect(byName.get("top")).toBe(
    "urn:pulumi:test::wacht-test::pulumi-nodejs:dynamic/wacht:User::top",
  );
  expect(byName.get("child")).toBe(
    "urn:pulumi:test::wacht-test::acme:index:Team$pulumi-nodejs:dynamic/wacht:User::child",
  );
  expect(byName.get("later")).toBe(
    "urn:pulumi:test::wacht-test::pulumi-nodejs:dynamic/wacht:User::later",
  );
  // Each is the URN the SDK itself computed for the resource.
  for (const [name, urn] of urns) {
    expect(await promiseOf(urn)).toBe(byName.get(name));
  }
});

function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}
