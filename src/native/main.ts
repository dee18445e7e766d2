// pulumi-resource-wacht: the entry the plugin launcher (plugin/pulumi-resource-wacht) runs. The
// engine starts it with its own address as the argument and reads the port this process listens
// on from the first line of stdout; nothing else may ever be printed there.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { connectEngine } from "../provider/log";
import { serve } from "./server";

/** The package version (the plugin's version, and the schema's). */
function packageVersion(): string {
  const file = path.join(__dirname, "..", "..", "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

async function main(args: readonly string[]): Promise<void> {
  // Anything a library prints with console.log goes to stderr: stdout is the handshake.
  console.log = console.error;
  console.info = console.error;
  const engine = args[0];
  if (engine === undefined || engine.startsWith("-")) {
    process.stderr.write(
      "pulumi-resource-wacht is a Pulumi provider plugin: Pulumi starts it (give it the engine's address).\n",
    );
    process.exit(2);
  }
  connectEngine(engine);
  const { port } = await serve(packageVersion());
  process.stdout.write(`${port}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(
    `pulumi-resource-wacht: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
