// The object Pulumi serializes into a wacht.User's state as `__provider` is THIS MODULE's exports
// (docs/decisions/0003-provider-shim.md). In a user's program the package is under node_modules,
// so the serializer writes a reference, not code: `require("pulumi-wacht/dist/provider/shim.js")`
// (~270 bytes, stored in each User's inputs and outputs). Its methods load the implementation by
// package name inside the provider process, so `__provider` holds no credential, no library
// object and no copy of our code: upgrading pulumi-wacht changes the code that runs. That path is
// a contract with every state written since: keep this file where it is. (The engine keeps the
// stack config, wacht:apiKey included, in its default provider's own state entry: README
// "Configuration".)
import { shimFor } from "./engine-facing";

export = shimFor("pulumi-wacht/provider-impl", "engineUserProvider");
