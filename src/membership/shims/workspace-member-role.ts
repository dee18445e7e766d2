// The object Pulumi serializes as a wacht.WorkspaceMemberRole's `__provider`: this module's exports, a
// reference `require("pulumi-wacht/dist/membership/shims/workspace-member-role.js")` in state (ADR 0003).
// Keep this file where it is.
import { shimFor } from "../../provider/engine-facing";

export = shimFor("pulumi-wacht/membership-impl", "engineWorkspaceMemberRoleProvider");
