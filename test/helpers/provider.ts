// Test helpers for calling the provider implementation in-process against an emulator: a
// configured WachtUserProvider and a summary of the PATCH/POST bodies the emulator received.
import { engineFacing, type ShimmedProvider } from "../../src/provider/engine-facing";
import { WachtUserProvider } from "../../src/provider/user-provider";
import type { EmulatorHandle } from "../../src/emulator";

/** The provider as the engine sees it (untyped records, through the shim's one cast), + stats. */
export type TestProvider = ShimmedProvider &
  Pick<WachtUserProvider, "refreshStats" | "createStats">;

/** Wraps an implementation the way the shim does, keeping its statistics reachable. */
export function asEngineSees(impl: WachtUserProvider = new WachtUserProvider()): TestProvider {
  return Object.assign(engineFacing(impl), {
    refreshStats: () => impl.refreshStats(),
    createStats: () => impl.createStats(),
  });
}

/** A provider configured the way the host configures it, with the emulator's URL and key. */
export async function configuredProvider(
  url: string,
  apiKey: string,
  extra: Record<string, string> = {},
): Promise<TestProvider> {
  const provider = asEngineSees();
  const values: Record<string, string> = { "wacht:apiKey": apiKey, "wacht:baseUrl": url, ...extra };
  await provider.configure({
    config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
  });
  return provider;
}

/** The API requests (method + path) the emulator logged, excluding nothing. */
export function calls(emulator: EmulatorHandle): string[] {
  return emulator.requests().map((r) => `${r.method} ${r.path}`);
}

/** Field names of each multipart PATCH/POST the emulator logged, in order. */
export function multipartFields(
  emulator: EmulatorHandle,
  method = "PATCH",
): Record<string, string>[] {
  return emulator
    .requests()
    .filter((r) => r.method === method && r.multipart !== null)
    .map((r) =>
      Object.fromEntries(
        (r.multipart ?? []).map((p) => [
          p.name ?? "",
          "value" in p ? p.value : `<file ${"contentType" in p ? p.contentType : "?"}>`,
        ]),
      ),
    );
}
