// Two wacht.User resources of one program that would create or claim the same account fail
// before anything is registered for the second, naming both (issue #21); with keys known only
// later (Outputs), the second one's registration fails once they are known. Different accounts,
// a read-only User.get and separate runs never conflict.
import * as pulumi from "@pulumi/pulumi";
import { captureRegistration } from "../../helpers/capture";
import { User } from "../../../src";

jest.setTimeout(30_000);

async function errorOf(construct: () => unknown): Promise<unknown> {
  try {
    await captureRegistration(() => {
      const made = construct();
      return Array.isArray(made) ? (made as User[]) : undefined;
    });
  } catch (err) {
    return err;
  }
  return undefined;
}

it("refuses a second resource with the same email (case-insensitive), naming both", async () => {
  let thrown: unknown;
  const captured = await captureRegistration(() => {
    const first = new User("ada", { emailAddress: "ada@example.com", firstName: "Ada" });
    try {
      new User("ada-copy", { emailAddress: "ADA@example.com", firstName: "Ada" });
    } catch (err) {
      thrown = err;
    }
    return first;
  });
  expect(pulumi.RunError.isInstance(thrown)).toBe(true);
  expect((thrown as Error).message).toBe(
    'wacht.User "ada-copy" and another wacht.User declare the same account: emailAddress ada@example.com is also declared by wacht.User "ada". Declare each account once: remove one of them, or give it a different key',
  );
  expect(captured.map((c) => c.name)).toEqual(["ada"]);
});

it("compares userId, adopt and username across resources, and lets different accounts be", async () => {
  const message = (a: () => unknown) => errorOf(a).then((e) => (e as Error | undefined)?.message);
  expect(
    await message(() => {
      new User("by-id", { userId: "42" });
      new User("again", { userId: "0042", firstName: "X" });
    }),
  ).toContain('userId 42 is also declared by wacht.User "by-id"');
  expect(
    await message(() => {
      new User("grace", { adopt: { email: "grace@example.com" } });
      new User("grace-new", { emailAddress: "grace@example.com" });
    }),
  ).toContain('emailAddress grace@example.com is also declared by wacht.User "grace"');
  expect(
    await message(() => {
      new User("ops", { username: "ops", emailAddress: "ops@example.com" });
      new User("ops2", { adopt: { username: "ops" } });
    }),
  ).toContain('adopt.username ops is also declared by wacht.User "ops"');
  // Different accounts, and a read-only User.get of a declared id (it manages nothing).
  expect(
    await errorOf(() => [
      new User("a", { emailAddress: "a@example.com", username: "a_a" }),
      new User("b", { emailAddress: "b@example.com", username: "b_b" }),
      new User("c", { userId: "7" }),
      User.get("c-read", "7"),
    ]),
  ).toBeUndefined();
});

it("each run has its own registry: the same declaration in the next run is no conflict", async () => {
  for (let run = 0; run < 2; run += 1) {
    expect(await errorOf(() => [new User("ada", { emailAddress: "ada@example.com" })])).toBe(
      undefined,
    );
  }
});

// Keys given as Outputs are compared once known, and the second registration fails: an Output
// that rejects surfaces as an unhandled rejection, which the real CLI run shows
// (test/e2e/gitops.test.ts, "one account per person").
