// The official JS SDK `@wacht/backend` is ESM-only. ts-node compiles this repo as CommonJS, where
// TypeScript would turn `import()` into `require()` (which cannot load ESM), so the import is
// built at run time to stay a real dynamic import.

/** The part of `@wacht/backend`'s WachtClient the benchmark uses (from its dist/index.d.ts). */
export interface SdkUsers {
  updateUser(
    userId: string,
    request: {
      first_name?: string;
      last_name?: string;
      username?: string;
      public_metadata?: unknown;
      private_metadata?: unknown;
      disabled?: boolean;
      second_factor_policy?: string;
    },
  ): Promise<{ id: string }>;
}

export interface SdkModule {
  WachtClient: new (config: { apiKey: string; baseUrl?: string; timeout?: number }) => {
    users: SdkUsers;
  };
}

import { pathToFileURL } from "node:url";

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const dynamicImport = new Function("specifier", "return import(specifier)") as (
  specifier: string,
) => Promise<unknown>;

/** Loads `@wacht/backend` (resolved from this repository's node_modules). */
export async function loadWachtSdk(): Promise<SdkModule> {
  const mod = (await dynamicImport(
    pathToFileURL(require.resolve("@wacht/backend")).href,
  )) as SdkModule;
  if (typeof mod.WachtClient !== "function") throw new Error("@wacht/backend has no WachtClient");
  return mod;
}
