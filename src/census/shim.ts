// The object Pulumi serializes into a wacht.UserCensus's state as `__provider`: this module's
// exports, the same kind of shim as the User's (src/provider/shim.ts, docs/decisions/0003),
// pointed at the census implementation. A user's state holds
// `require("pulumi-wacht/dist/census/shim.js")`: keep this file where it is.
import { shimFor } from "../provider/engine-facing";

export = shimFor("pulumi-wacht/census-impl", "engineCensusProvider");
