// The object Pulumi serializes as a wacht.WorkspaceMembership's `__provider`: this module's exports, a
// reference `require("pulumi-wacht/dist/membership/shims/workspace-membership.js")` in state (ADR 0003).
// Keep this file where it is.
import { shimFor } from "../../provider/engine-facing";

export = shimFor("pulumi-wacht/membership-impl", "engineWorkspaceMembershipProvider");
