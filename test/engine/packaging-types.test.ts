// Packaging, types: a TypeScript program beside the installed tarball imports every public subpath
// (package.json "exports") and type-checks with the repository's own tsc under both module
// resolutions a Pulumi TypeScript project meets: node10 (`pulumi new typescript`: "module":
// "commonjs", "moduleResolution": "node"), which ignores "exports" and needs "typesVersions", and
// node16, which reads the "types" condition of "exports". Each import must be typed (not `any`).
import { packAndInstall, publicSubpaths, typecheckInScratch } from "../helpers/packaging";

jest.setTimeout(240_000);

/** One import per public subpath, each asserted at compile time to be typed (not `any`). */
function consumerSource(subpaths: readonly string[]): string {
  const lines = [
    "type IsAny<T> = 0 extends 1 & T ? true : false;",
    "type Typed<T> = IsAny<T> extends true ? never : true;",
  ];
  subpaths.forEach((spec, i) => {
    lines.push(`import * as m${i} from ${JSON.stringify(spec)};`);
    lines.push(`export const typed${i}: Typed<typeof m${i}> = true;`);
  });
  return `${lines.join("\n")}\n`;
}

describe("packaging: the installed tarball's types, as a TypeScript Pulumi program sees them", () => {
  let dir: string;
  const subpaths = publicSubpaths();

  beforeAll(async () => {
    dir = (await packAndInstall()).dir;
  });

  it("lists the public subpaths from package.json exports", () => {
    expect(subpaths).toEqual(
      expect.arrayContaining([
        "pulumi-wacht",
        "pulumi-wacht/client",
        "pulumi-wacht/emulator",
        "pulumi-wacht/provider-impl",
        "pulumi-wacht/census-impl",
      ]),
    );
  });

  it.each(["node10", "node16"] as const)(
    "type-checks an import of every public subpath with moduleResolution %s",
    async (moduleResolution) => {
      const result = await typecheckInScratch(dir, moduleResolution, consumerSource(subpaths));
      expect(result.output).toBe("");
      expect(result.ok).toBe(true);
    },
  );

  it("fails on an unknown subpath (the check can fail)", async () => {
    const result = await typecheckInScratch(
      dir,
      "node10",
      consumerSource(["pulumi-wacht/no-such-subpath"]),
    );
    expect(result.ok).toBe(false);
    expect(result.output).toContain("TS2307");
  });
});
