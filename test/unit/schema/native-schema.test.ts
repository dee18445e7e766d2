// The native provider's schema (sdk/schema.json) is generated from the user property table, and
// the table agrees with the code that validates declarations and writes states: a property the
// table lacks (or has extra) fails here, and so does a committed schema that is stale
// (`npm run gen:schema` rewrites it).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { buildCensusInputsSchema } from "../../../src/census/census-inputs";
import { packageSchema, TOKENS, type PropertySpec } from "../../../src/native/schema";
import {
  INPUT_PROPERTIES,
  OUTPUT_PROPERTIES,
  SECRET_INPUTS,
  SECRET_OUTPUTS,
  type UserOutputName,
} from "../../../src/schema/user-field-lists";
import { buildUserInputsSchema } from "../../../src/schema/user-inputs";
import type { UserOutputs } from "../../../src/schema/user-state";

const root = path.join(__dirname, "..", "..", "..");
const version = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }
).version;
const schema = packageSchema(version);
const user = schema.resources[TOKENS.user];

/** Compile-time: the table's outputs are exactly the state's keys (UserOutputs, what to-outputs writes). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const outputsMatchState: Same<UserOutputName, keyof UserOutputs> = true;

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();
const secrets = (props: Record<string, PropertySpec>): string[] =>
  sorted(Object.keys(props).filter((k) => props[k]?.secret === true));

test("the committed sdk/schema.json is the generated one (run `npm run gen:schema`)", () => {
  const committed: unknown = JSON.parse(
    readFileSync(path.join(root, "sdk", "schema.json"), "utf8"),
  );
  expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
  expect(schema.version).toBe(version);
});

test("User inputs are exactly what check accepts, and outputs exactly what a state holds", () => {
  expect(outputsMatchState).toBe(true);
  const accepted = buildUserInputsSchema({ usernameMinLength: 3, usernameMaxLength: 30 }).shape;
  expect(sorted(INPUT_PROPERTIES)).toEqual(sorted(Object.keys(accepted)));
  expect(sorted(Object.keys(user.inputProperties))).toEqual(sorted(INPUT_PROPERTIES));
  expect(sorted(Object.keys(user.properties))).toEqual(sorted(OUTPUT_PROPERTIES));
});

test("secret exactly where the table says: password and private metadata, in and out", () => {
  expect(secrets(user.inputProperties)).toEqual(sorted(SECRET_INPUTS));
  expect(secrets(user.properties)).toEqual(sorted(SECRET_OUTPUTS));
  expect(sorted(SECRET_INPUTS)).toEqual(["password", "privateMetadata", "privateMetadataSchema"]);
  expect(sorted(SECRET_OUTPUTS)).toEqual([
    "externalPrivateMetadataKeys",
    "managedPrivateMetadataKeys",
    "privateMetadata",
  ]);
  expect(secrets(schema.config.variables)).toEqual(["apiKey"]);
  expect(secrets(schema.provider.inputProperties)).toEqual(["apiKey"]);
  expect(JSON.stringify(schema)).not.toMatch(/passwordHandle/);
  expect(user.properties).not.toHaveProperty("password");
});

test("the census's inputs are what its check accepts", () => {
  const census = schema.resources[TOKENS.census];
  expect(sorted(Object.keys(census.inputProperties))).toEqual(
    sorted(Object.keys(buildCensusInputsSchema().shape)),
  );
});

test("every property, argument and result has a description", () => {
  const described = (props: Record<string, PropertySpec>): void => {
    for (const [name, spec] of Object.entries(props)) {
      expect([name, (spec.description ?? "").length > 10]).toEqual([name, true]);
    }
  };
  described(schema.config.variables);
  described(user.inputProperties);
  described(user.properties);
  described(schema.resources[TOKENS.census].properties);
  described(schema.functions[TOKENS.getUser].inputs.properties);
  described(schema.functions[TOKENS.getUser].outputs.properties);
  for (const type of Object.values(schema.types)) described(type.properties);
});
