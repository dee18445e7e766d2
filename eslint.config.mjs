// Lint: typescript-eslint recommended + type-aware promise rules (async provider code), and the
// folder dependency rules of docs/decisions/0002-architecture.md as no-restricted-imports.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "coverage/**",
      "node_modules/**",
      "**/*.js",
      "**/*.mjs",
      "bench/results.json",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["src/client/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@pulumi/*"], message: "The client never imports Pulumi." },
            {
              group: ["**/emulator/**", "**/provider/**", "**/resource/**"],
              message: "client/ is a plain SDK.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@pulumi/*", "undici"],
              message: "The emulator is a plain node:http server.",
            },
            {
              group: ["**/client/**", "**/provider/**", "**/resource/**", "**/diff/**"],
              message: "The emulator never imports the client.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/diff/**/*.ts", "src/schema/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["@pulumi/*", "undici", "form-data"], message: "Pure logic only." }],
        },
      ],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "examples/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
);
