// The object Pulumi serializes into a wacht.User's state as `__provider` is THIS MODULE's exports:
// in a user's program a reference, `require("pulumi-wacht/dist/provider/shim.js")`, whose methods
// load the implementation by package name in the provider process, so it holds no credential and
// no code (docs/decisions/0003-provider-shim.md). That path is a contract with every state written
// since: keep this file where it is. (The engine keeps the stack config, wacht:apiKey included, in
// its default provider's own state entry: README "Configuration".)
import { shimFor } from "./engine-facing";

export = shimFor("pulumi-wacht/provider-impl", "engineUserProvider");
