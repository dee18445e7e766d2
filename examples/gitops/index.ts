// Accounts as reviewed files: one roster file per account in users/ (the file name is the Pulumi
// resource name), and a census that fails `up` (or, opted in, disables) when an admin or service
// account exists in the deployment without a file. Credentials: `wacht:apiKey` (secret) or
// WACHT_API_KEY; `wacht:baseUrl` or WACHT_BASE_URL.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as wacht from "pulumi-wacht";

const config = new pulumi.Config();

// Throws before anything is declared if a file is invalid (or two files declare one account),
// naming file:line:column. Offboarding is deleting a person's file: onDelete "disable" disables
// the account (its sessions end) and never deletes it; a file can still say otherwise.
const roster = wacht.loadRoster(path.join(__dirname, "users"), { onDelete: "disable" });

const census = new wacht.UserCensus("admin-census", {
  // The accounts that must be declared: every admin and service account.
  selector: { publicMetadata: { key: "kind", in: ["admin", "service"] } },
  declaredUserIds: roster.userIds,
  allowlist: config.getObject<string[]>("censusAllowlist") ?? [],
  undeclared: config.get<wacht.UndeclaredPolicy>("undeclared") ?? "report",
});

export const userIds = roster.userIds;
export const undeclaredAccounts = census.undeclaredAccounts;
export const disabledByCensus = census.disabledAccounts;
