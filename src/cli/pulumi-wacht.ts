#!/usr/bin/env node
// `npx pulumi-wacht export …`: see ./run-cli.ts for the command and its options.
import { runCli } from "./run-cli";

void runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
