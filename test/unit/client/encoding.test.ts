// Pure encoders: canonical JSON (stable bytes for metadata) and image sniffing by magic bytes.

import { canonicalJson, sniffImageType } from "../../../src/client";
import { BMP, GIF, ICO, JPEG, PNG, SVG, WEBP } from "./fixtures";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and adds no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("gives the same text for equal values built in different orders", () => {
    expect(canonicalJson({ x: 1, y: "é" })).toBe(canonicalJson({ y: "é", x: 1 }));
  });

  it("encodes scalars like JSON", () => {
    expect([null, true, false, 0, -1.5, 'a"b\n', []].map(canonicalJson)).toEqual([
      "null",
      "true",
      "false",
      "0",
      "-1.5",
      '"a\\"b\\n"',
      "[]",
    ]);
  });

  it("refuses what JSON cannot represent, naming the key", () => {
    expect(() => canonicalJson({ a: undefined })).toThrow('the value at "a" is undefined');
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow('the value at "1" is NaN');
    expect(() => canonicalJson({ a: -Infinity })).toThrow('the value at "a" is -Infinity');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('the value at "f" is a function');
    expect(() => canonicalJson(1n)).toThrow("the value is a bigint");
    expect(() => canonicalJson(undefined)).toThrow("the value is undefined");
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(
      'the value at "at" is not a plain object',
    );
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => canonicalJson({ a: cyc })).toThrow(/circular/);
  });

  it("keeps a __proto__ key as data", () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":1}}'))).toBe(
      '{"__proto__":{"x":1},"b":1}',
    );
  });

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { k: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"k":1},{"k":1}]');
  });
});

describe("sniffImageType", () => {
  it.each([
    ["png", PNG, "image/png"],
    ["jpeg", JPEG, "image/jpeg"],
    ["gif", GIF, "image/gif"],
    ["webp", WEBP, "image/webp"],
    ["ico", ICO, "image/x-icon"],
  ])("recognises %s", (_name, bytes, mime) => {
    expect(sniffImageType(bytes)?.mime).toBe(mime);
  });

  it("returns null for anything else", () => {
    for (const b of [
      SVG,
      BMP,
      Buffer.alloc(0),
      Buffer.from([0x89, 0x50]),
      Buffer.from("RIFF\0\0\0\0WAVE"),
      Buffer.from([0, 0, 1, 0, 0, 0]),
    ]) {
      expect(sniffImageType(b)).toBeNull();
    }
  });

  it("works on a Uint8Array view", () => {
    expect(sniffImageType(new Uint8Array(PNG))?.ext).toBe("png");
  });
});
