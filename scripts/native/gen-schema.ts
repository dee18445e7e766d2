// `npm run gen:schema`: writes sdk/schema.json, the native provider's package schema generated
// from the user property table (src/native/schema.ts), formatted as the repository formats JSON.
// test/unit/schema/native-schema.test.ts fails when the committed file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { packageSchema } from "../../src/native/schema";

const root = path.join(__dirname, "..", "..");
const out = path.join(root, "sdk", "schema.json");

async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  const text = await prettier.format(JSON.stringify(packageSchema(version)), {
    ...(await prettier.resolveConfig(out)),
    filepath: out,
  });
  writeFileSync(out, text);
  process.stdout.write(`wrote ${path.relative(root, out)} (version ${version})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
