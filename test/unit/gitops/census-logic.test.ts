// Pure parts of the census and export (issue 14): selectors, allowlist matching, messages and
// the `--select` parser.
import { buildCensusInputsSchema } from "../../../src/census/census-inputs";
import { disabledNotice, undeclaredReport, undeclaredWarning } from "../../../src/census/messages";
import { allowlisted, excludedByList, selectedByDetails } from "../../../src/census/take-census";
import { parseSelect } from "../../../src/export/export-selector";
import { baseName, renderProgram, rosterDocument } from "../../../src/export/render";
import type { ApiUserDetails, ApiUserSummary } from "../../../src/schema/wire";

const summary = (over: Partial<ApiUserSummary>): ApiUserSummary => ({
  id: "42",
  created_at: "2026-01-02T03:04:05Z",
  updated_at: "2026-01-02T03:04:05Z",
  first_name: "",
  last_name: "",
  username: "",
  profile_picture_url: "",
  primary_email_address: null,
  ...over,
});

const details = (over: Partial<ApiUserDetails>): ApiUserDetails =>
  ({
    ...summary({}),
    username: null,
    disabled: false,
    second_factor_policy: "optional",
    public_metadata: {},
    private_metadata: {},
    ...over,
  }) as ApiUserDetails;

describe("census selection matches the allowlist, email domains and metadata", () => {
  it("allowlist entries match an id, an email or a username, case-insensitively", () => {
    const user = summary({
      id: "42",
      primary_email_address: "Eve@Corp.example",
      username: "Eve_1",
    });
    expect(allowlisted(user, new Set(["42"]))).toBe(true);
    expect(allowlisted(user, new Set(["eve@corp.example"]))).toBe(true);
    expect(allowlisted(user, new Set(["eve_1"]))).toBe(true);
    expect(allowlisted(user, new Set(["43", "eve"]))).toBe(false);
    // An empty list username never matches an empty entry.
    expect(allowlisted(summary({ id: "7" }), new Set([""]))).toBe(false);
  });

  it("emailDomains decides from the list item; other selectors never exclude there", () => {
    const sel = { emailDomains: ["corp.example"] };
    expect(excludedByList(sel, summary({ primary_email_address: "a@CORP.example" }))).toBe(false);
    expect(excludedByList(sel, summary({ primary_email_address: "a@corp.example.evil" }))).toBe(
      true,
    );
    expect(excludedByList(sel, summary({ primary_email_address: null }))).toBe(true);
    expect(excludedByList({ all: true }, summary({}))).toBe(false);
  });

  it("publicMetadata compares the key's JSON value with each listed value", () => {
    const sel = { publicMetadata: { key: "kind", in: ["admin", { tier: 1 }] } };
    expect(selectedByDetails(sel, details({ public_metadata: { kind: "admin" } }))).toBe(true);
    expect(selectedByDetails(sel, details({ public_metadata: { kind: { tier: 1 } } }))).toBe(true);
    expect(selectedByDetails(sel, details({ public_metadata: { kind: "Admin" } }))).toBe(false);
    expect(selectedByDetails(sel, details({ public_metadata: ["kind"] }))).toBe(false);
    expect(selectedByDetails({ all: true }, details({}))).toBe(true);
  });

  it("the schema applies the defaults and refuses an empty selector list", () => {
    const schema = buildCensusInputsSchema();
    expect(schema.parse({ selector: { all: true }, declaredUserIds: [] })).toEqual({
      selector: { all: true },
      declaredUserIds: [],
      allowlist: [],
      undeclared: "report",
    });
    expect(schema.safeParse({ selector: { emailDomains: [] }, declaredUserIds: [] }).success).toBe(
      false,
    );
    expect(schema.safeParse({ selector: { all: false }, declaredUserIds: [] }).success).toBe(false);
  });

  it("the report names each account and the three ways out", () => {
    const accounts = [
      { id: "1", email: "a@x.example", username: "a" },
      { id: "2", email: null, username: null },
    ];
    expect(undeclaredReport(accounts, 2).split("\n")).toEqual([
      "wacht.UserCensus: 2 accounts in the deployment are selected by the census but not declared by this stack:",
      "  - 1 (a@x.example, username a)",
      "  - 2 (no email, no username)",
      "For each one, either:",
      "  - declare it: add a roster file with its userId (`npx pulumi-wacht export --select id:1,2 --out users/` writes them; `--skip-declared users/` exports every account the roster does not declare yet), or",
      "  - allowlist it: add its id, email or username to the census allowlist, or",
      '  - opt in to undeclared: "disable" so that `pulumi up` disables such accounts (it never deletes them).',
    ]);
    expect(undeclaredWarning(accounts.slice(0, 1), 1, true)).toBe(
      "1 undeclared account: 1 (a@x.example, username a); `pulumi up` will disable them (never delete).",
    );
  });

  it("names at most the accounts the state keeps, and counts the rest", () => {
    const named = [{ id: "1", email: "a@x.example", username: null }];
    expect(undeclaredWarning(named, 1000, false)).toBe(
      '1000 undeclared accounts: 1 (a@x.example, no username); and 999 more; `pulumi up` will fail until each is declared, allowlisted, or undeclared is "disable".',
    );
    expect(undeclaredReport(named, 3).split("\n").slice(0, 3)).toEqual([
      "wacht.UserCensus: 3 accounts in the deployment are selected by the census but not declared by this stack:",
      "  - 1 (a@x.example, no username)",
      "  - and 2 more",
    ]);
    expect(disabledNotice(named, 2)).toBe("disabled 2 undeclared accounts: 1, and 1 more");
  });
});

describe("export parses selectors, names files and writes only comparable fields", () => {
  it("parses every --select form and names the forms on a bad one", () => {
    expect(parseSelect(undefined)).toEqual({ all: true });
    expect(parseSelect("id:1, 2")).toEqual({ userIds: ["1", "2"] });
    expect(parseSelect("domain:corp.example")).toEqual({ emailDomains: ["corp.example"] });
    expect(parseSelect("meta.kind:admin,service")).toEqual({
      publicMetadata: { key: "kind", in: ["admin", "service"] },
    });
    expect(() => parseSelect("id:abc")).toThrow("--select id: abc is not a Wacht user id");
    expect(() => parseSelect("meta.:x")).toThrow(
      '--select "meta.:x" is not understood; use all | id:',
    );
    expect(() => parseSelect("domain:")).toThrow("is not understood");
  });

  it("names files from the username, the email or the id", () => {
    expect(baseName(details({ username: "Ada.L" }))).toBe("ada-l");
    expect(baseName(details({ primary_email_address: "bob+ops@x.example" }))).toBe("bob-ops");
    expect(baseName(details({ id: "9", username: "---" }))).toBe("user-9");
  });

  it("writes only comparable fields; private metadata only as a reference; TS uses requireSecretObject", () => {
    const user = details({
      id: "5",
      first_name: " ",
      last_name: "Lee",
      username: "lee",
      second_factor_policy: "weird",
      private_metadata: { pin: "SECRET" },
    });
    // Empty public metadata ({}) is not declared: declared, the stack would wipe what apps add.
    expect(rosterDocument(user, "lee", false)).toEqual({
      userId: "5",
      lastName: "Lee",
      username: "lee",
      disabled: false,
    });
    const doc = rosterDocument(user, "lee", true);
    expect(doc["privateMetadata"]).toEqual({ config: "lee-privateMetadata" });
    const program = renderProgram([{ name: "lee", doc }], "http://127.0.0.1:1");
    expect(program).toContain(
      '    privateMetadata: config.requireSecretObject("lee-privateMetadata"),',
    );
    expect(program).not.toContain("SECRET");
  });

  it("declares empty metadata in neither form, even when private metadata is asked for", () => {
    const empty = details({ id: "6", username: "nil", public_metadata: {}, private_metadata: {} });
    expect(rosterDocument(empty, "nil", true)).toEqual({
      userId: "6",
      username: "nil",
      disabled: false,
      secondFactorPolicy: "optional",
    });
    // Non-empty public metadata is declared as it is, arrays and nested values included.
    const some = details({ id: "7", public_metadata: { teams: [] }, private_metadata: { a: 1 } });
    expect(rosterDocument(some, "some", true)).toMatchObject({
      publicMetadata: { teams: [] },
      privateMetadata: { config: "some-privateMetadata" },
    });
  });
});
