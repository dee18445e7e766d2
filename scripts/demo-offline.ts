// The demo without the Pulumi CLI (`npm run demo` falls back to it when the CLI cannot be had).
// It does what `pulumi up` does for the example program, with the same pieces the engine uses:
// the program runs under the real Pulumi serializer (setMocks), and the real dynamic-provider host
// (@pulumi/pulumi/cmd/dynamic-provider) is driven over gRPC, Check → Create, or Read → Check →
// Diff → Update/replace, against the seeded emulator. State is kept in .demo/offline-state.json,
// so a second run shows a no-op. It is not the engine: no preview, no secrets encryption at rest.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEmulator } from "../src/emulator";
import { captureRegistration } from "../test/helpers/capture";
import { startHost, type Props } from "../test/helpers/engine-host";

const root = resolve(__dirname, "..");
const demoDir = join(root, ".demo");
const stateFile = join(demoDir, "offline-state.json");
const apiKey = "sk_demo0000000000000000000000000000000000000000";
const project = "wacht-demo";

interface Entry {
  id: string;
  inputs: Props;
  outputs: Props;
}

function loadState(): Record<string, Entry> {
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as Record<string, Entry>;
  } catch {
    return {};
  }
}

/** The outputs worth a glance; privateMetadata is a secret and never printed. */
function shown(outputs: Props): Props {
  const keys = [
    "userId",
    "origin",
    "firstName",
    "lastName",
    "username",
    "primaryEmailAddress",
    "disabled",
    "secondFactorPolicy",
    "publicMetadata",
    "onDelete",
    "updatedAt",
  ];
  const out: Props = Object.fromEntries(keys.map((k) => [k, outputs[k]]));
  if (outputs["privateMetadata"] !== undefined) out["privateMetadata"] = "[secret]";
  return out;
}

async function main(): Promise<void> {
  mkdirSync(demoDir, { recursive: true });
  const seed = JSON.parse(readFileSync(join(root, "examples/basic/seed-users.json"), "utf8")) as [];
  const emulator = await startEmulator({
    port: Number(process.env["DEMO_EMULATOR_PORT"] ?? 0),
    apiKey,
    seed,
    stateFile: join(demoDir, "emulator-state.json"),
  });
  console.log(`Wacht emulator: ${emulator.url}`);
  const resources = await captureRegistration(
    async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../examples/basic/index.ts");
      await new Promise((r) => setTimeout(r, 200));
    },
    { project, stack: "demo" },
  );
  const host = await startHost({ cwd: root, env: { PULUMI_NODEJS_PROJECT: project } });
  const state = loadState();
  const next: Record<string, Entry> = {};
  let failed = false;
  try {
    await host.configure({ "wacht:apiKey": apiKey, "wacht:baseUrl": emulator.url });
    for (const r of resources) {
      const urn = `urn:pulumi:demo::${project}::${r.type}::${r.name}`;
      const news = { ...r.inputs, __provider: r.providerText };
      const previous = state[r.name];
      try {
        let olds = previous?.outputs;
        if (previous !== undefined && olds !== undefined) {
          const read = await host.read(previous.id, urn, olds, previous.inputs);
          olds = read.id === "" ? undefined : read.properties;
        }
        const checked = await host.check(urn, previous?.inputs ?? {}, news);
        if (checked.failures.length > 0) {
          throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
        }
        if (previous === undefined || olds === undefined) {
          const created = await host.create(urn, checked.inputs);
          next[r.name] = { id: created.id, inputs: checked.inputs, outputs: created.properties };
          console.log(`+ ${r.name}: created (user ${created.id})`);
          continue;
        }
        const diff = await host.diff(previous.id, urn, olds, checked.inputs);
        if (diff.changes !== "some") {
          next[r.name] = { id: previous.id, inputs: checked.inputs, outputs: olds };
          console.log(`  ${r.name}: unchanged`);
        } else if (diff.replaces.length > 0) {
          const created = await host.create(urn, checked.inputs);
          await host.delete(previous.id, urn, olds);
          next[r.name] = { id: created.id, inputs: checked.inputs, outputs: created.properties };
          console.log(`+- ${r.name}: replaced (${diff.replaces.join(", ")})`);
        } else {
          const updated = await host.update(previous.id, urn, olds, checked.inputs);
          next[r.name] = { id: previous.id, inputs: checked.inputs, outputs: updated.properties };
          console.log(`~ ${r.name}: updated`);
        }
      } catch (err) {
        failed = true;
        if (previous !== undefined) next[r.name] = previous;
        console.error(`x ${r.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    writeFileSync(stateFile, JSON.stringify(next, null, 2));
    console.log("\nOutputs:");
    for (const [name, entry] of Object.entries(next)) {
      console.log(`  ${name}: ${JSON.stringify(shown(entry.outputs))}`);
    }
    const log = host.output().trim();
    if (log !== "") console.log(`\nProvider diagnostics:\n${log}`);
  } finally {
    await host.close();
    await emulator.close();
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
