// The object Pulumi serializes as a wacht.OrganizationMembership's `__provider`: this module's exports, a
// reference `require("pulumi-wacht/dist/membership/shims/organization-membership.js")` in state (ADR 0003).
// Keep this file where it is.
import { shimFor } from "../../provider/engine-facing";

export = shimFor("pulumi-wacht/membership-impl", "engineOrganizationMembershipProvider");
