// Test pyramid (docs/decisions/0004-test-pyramid.md): unit (no sockets), integration (real HTTP
// against the emulator on 127.0.0.1), engine (the real Pulumi dynamic-provider host over gRPC and
// the packed tarball), e2e (the real Pulumi CLI). `npm test` runs all four; `soak` runs only when asked (`npm run soak`).
/** @type {import('jest').Config} */
const common = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleFileExtensions: ["ts", "js", "json"],
};

/** @type {import('jest').Config} */
module.exports = {
  // Two test files at a time on the 2-core machines this runs on (jest's default there is one):
  // the e2e files spend much of their time waiting on the CLI's own processes. Measured with
  // `.ci/run` in a fresh clone: jest 960 s in band, 534 s with two workers and the gitops e2e's
  // export no longer paced to a rate limit the emulator does not have (-110 s; docs/testing.md).
  maxWorkers: 2,
  // v8 coverage keeps istanbul counters out of the serialized provider (pulumi-dynamic.md §1).
  coverageProvider: "v8",
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
    },
    { ...common, displayName: "engine", testMatch: ["<rootDir>/test/engine/**/*.test.ts"] },
    // The generated SDKs against sdk/schema.json (the generator binary is cached by pretest).
    { ...common, displayName: "sdk", testMatch: ["<rootDir>/test/sdk/**/*.test.ts"] },
    // The real `pulumi` CLI (built from the Go module proxy by `npm test`'s pretest). A missing
    // CLI fails these tests; it is never a skip (docs/decisions/0010-real-pulumi-cli.md).
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
    },
    ...(process.env.WACHT_SOAK
      ? [{ ...common, displayName: "soak", testMatch: ["<rootDir>/test/soak/**/*.test.ts"] }]
      : []),
  ],
};
