// Service and admin accounts declared as code. `npm run demo` runs this program with `pulumi up`
// against the local Wacht emulator, seeded with these users (examples/basic/seed-users.json).
// Against the real API, set `wacht:apiKey` (secret) and the user ids of your deployment.
import * as pulumi from "@pulumi/pulumi";
import * as wacht from "pulumi-wacht";

const config = new pulumi.Config("demo");

// The CI deployer: a service account with no second factor and machine-readable metadata.
const ciBot = new wacht.User("ci-deployer", {
  userId: config.get("ciUserId") ?? "310000000000000001",
  firstName: "CI",
  lastName: "Deployer",
  username: "ci-deployer",
  secondFactorPolicy: "none",
  publicMetadata: { kind: "service", owner: "platform-team" },
  // Always stored as a secret in state, whether or not it is wrapped in pulumi.secret().
  privateMetadata: { rotation: "90d", vault: "kv/ci-deployer" },
});

// An administrator who must use a second factor.
const opsAdmin = new wacht.User("ops-admin", {
  userId: config.get("adminUserId") ?? "310000000000000002",
  firstName: "Olga",
  lastName: "Admin",
  secondFactorPolicy: "enforced",
  publicMetadata: { kind: "admin", scopes: ["users:write", "billing:read"] },
});

// A retired account: kept disabled; deleting this resource disables rather than deletes it.
const legacy = new wacht.User("legacy-importer", {
  userId: config.get("legacyUserId") ?? "310000000000000003",
  disabled: true,
  onDelete: "disable",
});

export const ciDeployer = {
  id: ciBot.userId,
  email: ciBot.primaryEmailAddress,
  username: ciBot.username,
  updatedAt: ciBot.updatedAt,
};
export const admin = {
  id: opsAdmin.userId,
  email: opsAdmin.primaryEmailAddress,
  secondFactorPolicy: opsAdmin.secondFactorPolicy,
};
export const legacyDisabled = legacy.disabled;
