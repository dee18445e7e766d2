// Engine path (src/provider/engine-facing.ts; ADR 0003, issue #19). Every `__provider` text a state
// can hold runs in ONE real dynamic-provider host process, against the installed implementation:
// - the text pulumi-wacht 0.1.0 wrote (its shim class copied by value: fixtures/provider-0.1.0-*.txt,
//   captured from that version's tarball), which still holds every state written until now;
// - the text a user's program writes now: the shim module is under node_modules, so the text is a
//   reference, `require("pulumi-wacht/dist/provider/shim.js")` (packaging.test.ts captures it from
//   an installed tarball; it is built here the way the serializer writes it);
// - the text a linked checkout writes (this repository: the shim module copied by value).
// A run after an upgrade mixes them (a no-op keeps the old outputs), so each must configure,
// check, create, diff, read and update, side by side.
// And a refresh that finds a user unchanged returns no inputs (the engine keeps the recorded ones,
// so its next same step writes no checkpoint); one that finds drift returns inputs that match it.
import * as fs from "node:fs";
import * as path from "node:path";
import { withEngine } from "../helpers/with-engine";

jest.setTimeout(60_000);

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, "fixtures", `provider-0.1.0-${name}.txt`), "utf8");

/** What the closure serializer writes for a provider object that is a module under node_modules. */
const reference = (module: string) => `exports.handler = __f0;
const provider = require("${module}");

function __f0() {
  return (function() {
    with({ this: undefined, arguments: undefined }) {

return () => provider;

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;

const engine = withEngine({ name: "texts" });
const censusUrn = (name: string) =>
  `urn:pulumi:test::wacht-test::pulumi-nodejs:dynamic/wacht:UserCensus::${name}`;

describe("one host process runs every __provider text a state can hold", () => {
  const texts = () => ({
    "0.1.0 (shim class by value)": fixture("user"),
    "installed (module reference)": reference("pulumi-wacht/dist/provider/shim.js"),
    "linked checkout (module by value)": engine.provider,
  });

  it("the User texts: check, create (adopt), no-op diff, read, update", async () => {
    const { host } = engine;
    for (const [label, text] of Object.entries(texts())) {
      const userId = engine.seed({
        first_name: "Old",
        last_name: label,
        email: `${label.length}-${label.replace(/\W/g, "")}@example.com`,
      });
      const urn = engine.urn();
      const checked = await host.check(urn, {}, { userId, firstName: "Text", __provider: text });
      expect({ label, failures: checked.failures }).toEqual({ label, failures: [] });
      const created = await host.create(urn, checked.inputs);
      expect(created.id).toBe(userId);
      expect(created.properties["__provider"]).toBe(text);
      expect(await host.diff(userId, urn, created.properties, checked.inputs)).toMatchObject({
        changes: "none",
      });
      const read = await host.read(userId, urn, created.properties, checked.inputs);
      expect(read.properties["firstName"]).toBe("Text");
      const news = { ...checked.inputs, lastName: "Updated" };
      expect(await host.diff(userId, urn, read.properties, news)).toMatchObject({
        changes: "some",
      });
      const updated = await host.update(userId, urn, read.properties, news);
      expect(updated.properties["lastName"]).toBe("Updated");
      expect(engine.emu.users.get(userId)!.user.last_name).toBe("Updated");
    }
  });

  it("the census texts: check and read", async () => {
    const censusTexts = {
      "0.1.0 (shim class by value)": fixture("census"),
      "installed (module reference)": reference("pulumi-wacht/dist/census/shim.js"),
    };
    for (const [label, text] of Object.entries(censusTexts)) {
      const urn = censusUrn(label.replace(/\W/g, ""));
      const checked = await engine.host.check(
        urn,
        {},
        { selector: { emailDomains: ["nobody.example"] }, declaredUserIds: [], __provider: text },
      );
      expect({ label, failures: checked.failures }).toEqual({ label, failures: [] });
      const read = await engine.host.read(
        "wacht-user-census",
        urn,
        { ...checked.inputs, inspected: {} },
        checked.inputs,
      );
      expect(read.properties["undeclaredAccounts"]).toEqual([]);
    }
  });
});

describe("a refresh keeps the recorded inputs unless it finds drift", () => {
  it("unchanged: no inputs; drifted: the live values as inputs", async () => {
    const { host } = engine;
    const userId = engine.seed({
      first_name: "Kept",
      last_name: "Inputs",
      email: "kept@example.com",
    });
    const urn = engine.urn();
    // A password declared without a version: the one declaration a state cannot rebuild.
    const declared = { userId, firstName: "Kept", password: "Pw-Kept-Inputs-Horse-11!" };
    const checked = await host.check(urn, {}, { ...declared, __provider: engine.provider });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toHaveProperty("passwordHandle");
    const created = await host.create(urn, checked.inputs);

    // Create's state predates setting the password (hasPassword, updatedAt): the first refresh
    // brings them in, with inputs; the next one finds the state as recorded.
    const first = await host.read(userId, urn, created.properties, checked.inputs);
    const unchanged = await host.read(
      userId,
      urn,
      first.properties,
      first.inputs ?? checked.inputs,
    );
    expect(unchanged.properties).toEqual(first.properties);
    expect(unchanged.inputs).toBeUndefined();

    engine.emu.users.patch(userId, { first_name: "Dashboard" });
    const drifted = await host.read(userId, urn, first.properties, checked.inputs);
    expect(drifted.properties["firstName"]).toBe("Dashboard");
    expect(drifted.inputs).toMatchObject({ userId, firstName: "Dashboard" });
  });
});
