// Request counts of refreshing memberships through the REAL `pulumi` CLI (issue #22): N
// memberships (default 500) spread over three organizations, each declared as a
// wacht.OrganizationMembership. Steps: `pulumi up` (adopting the existing memberships),
// `pulumi refresh --yes` and `pulumi up --refresh --yes`; prints wall time and the requests by
// kind. The refresh should cost Σ⌈members of each org/500⌉ list requests, plus one role listing
// per organization in a run that checks the program.
//
//   BENCH_MEMBERSHIPS=500 npx ts-node --transpile-only bench/memberships-refresh.ts
import { startEmulator } from "../src/emulator";
import { byKind } from "../test/e2e/helpers/fixtures";
import { E2eProject, requireCli } from "../test/e2e/helpers/project";

const N = Number(process.env["BENCH_MEMBERSHIPS"] ?? 500);
const KEY = "sk_bench_memberships_0123456789abcdef0123456789";
const ORGS = ["550000000000000001", "550000000000000002", "550000000000000003"];
/** 80%, 16%, 4% of the memberships. */
const SHARES = [0.8, 0.16, 0.04];

async function main(): Promise<void> {
  const cli = requireCli();
  const users = Array.from({ length: N }, (_, i) => String(450000000000000000n + BigInt(i)));
  const sizes = SHARES.map((s) => Math.round(s * N));
  sizes[0] = N - sizes[1]! - sizes[2]!;
  const layout = ORGS.map((id, k) => {
    const start = sizes.slice(0, k).reduce((a, b) => a + b, 0);
    return { id, members: users.slice(start, start + sizes[k]!) };
  });
  const emulator = await startEmulator({
    apiKey: KEY,
    rateLimitPerMinute: false,
    seed: users.map((id, i) => ({ id, email: `member${i}@example.com` })),
    organizations: layout.map((o, k) => ({
      id: o.id,
      name: `Org ${k}`,
      members: o.members.map((user_id) => ({ user_id, roles: ["Member"] })),
    })),
  });
  const program = `
const wacht = require("pulumi-wacht");
const layout = ${JSON.stringify(layout)};
for (const org of layout) {
  for (const userId of org.members) {
    new wacht.OrganizationMembership(org.id + "-" + userId, { organizationId: org.id, userId, roles: ["Member"] });
  }
}
`;
  const project = await E2eProject.create({ program, projectName: "bench-memberships" });
  try {
    await project.config("wacht:apiKey", KEY, true);
    await project.config("wacht:baseUrl", emulator.url);
    console.log(
      `Pulumi CLI ${cli.version}; ${N} memberships in 3 organizations (${sizes.join(" + ")})`,
    );
    const steps: Array<[string, string[]]> = [
      ["up (adopts)", ["up", "--yes", "--skip-preview", "--non-interactive"]],
      ["refresh", ["refresh", "--yes", "--skip-preview", "--non-interactive"]],
      ["up --refresh", ["up", "--refresh", "--yes", "--skip-preview", "--non-interactive"]],
    ];
    for (const [name, args] of steps) {
      emulator.clearRequests();
      const started = Date.now();
      const r = await project.run(args, { timeoutMs: 3_600_000 });
      const seconds = (Date.now() - started) / 1000;
      const requests = emulator.requests();
      console.log(
        `${name}: exit ${r.code}, ${seconds.toFixed(1)} s, ${requests.length} requests`,
        JSON.stringify(byKind(requests)),
      );
      if (r.code !== 0) console.log(r.all.slice(-3000));
    }
    const expected = sizes.reduce((sum, n) => sum + Math.ceil(n / 500), 0);
    console.log(`expected refresh list requests: Σ⌈n/500⌉ = ${expected}`);
  } finally {
    project.remove();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
