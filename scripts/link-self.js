#!/usr/bin/env node
// Makes `require("pulumi-wacht/...")` resolve inside this checkout, exactly as it does in a user's
// program where the package sits in node_modules. The serialized provider shim loads its
// implementation by package name (docs/decisions/0003-provider-shim.md), and the dynamic-provider
// host resolves that name from its working directory, which for the demo and the engine tests is
// this repository. Idempotent; never touches a real install.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-wacht");
fs.mkdirSync(path.dirname(link), { recursive: true });
let current;
try {
  current = fs.lstatSync(link);
} catch {
  current = undefined;
}
if (current) {
  if (current.isSymbolicLink() && fs.realpathSync(link) === fs.realpathSync(root)) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
}
fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
