// The README's field tables stay in step with the field table (src/schema/user-field-table.ts):
// every field is documented, every documented argument exists, the create-only row lists exactly
// the create-only fields, and the outputs paragraph names every scalar output.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { USER_FIELDS } from "../../../src/schema/user-field-table";
import {
  CREATE_ONLY_FIELDS,
  INPUT_PROPERTIES,
  PROFILE_FIELDS,
} from "../../../src/schema/user-field-lists";

const readme = readFileSync(path.join(__dirname, "..", "..", "..", "README.md"), "utf8");

/** The section of the README under `heading`, up to the next heading of any level. */
function section(heading: string): string {
  const start = readme.indexOf(`${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + heading.length + 1);
  const end = rest.search(/^#{2,4} /m);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The backticked names in the first column of a markdown table. */
function firstColumnNames(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) =>
      [...(line.split("|")[1] ?? "").matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1] ?? ""),
    );
}

/** Declaration-side settings: documented arguments that are not fields sent to Wacht. */
const SETTINGS = INPUT_PROPERTIES.filter((name) => !(name in USER_FIELDS));

const documented = [
  ...firstColumnNames(section("### Which user")),
  ...firstColumnNames(section("### Managed fields (updated in place)")),
];

describe("README field tables", () => {
  it("document every field of the table", () => {
    for (const name of Object.keys(USER_FIELDS)) expect(documented).toContain(name);
  });

  it("document no argument the table (or the settings) does not have", () => {
    const known = new Set([...Object.keys(USER_FIELDS), ...SETTINGS]);
    expect(documented.filter((name) => !known.has(name))).toEqual([]);
  });

  it("list exactly the create-only fields as create-only", () => {
    const row = section("### Which user")
      .split("\n")
      .find((line) => line.includes("create-only"));
    expect(firstColumnNames(row ?? "").sort()).toEqual([...CREATE_ONLY_FIELDS].sort());
  });

  it("name every scalar output", () => {
    const outputs = section("### Outputs");
    for (const name of PROFILE_FIELDS) expect(outputs).toContain(`\`${name}\``);
  });
});
