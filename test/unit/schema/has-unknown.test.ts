// hasUnknown (src/schema/user-fields.ts): the engine's preview unknown anywhere in a value, at any
// depth, and in lists far larger than any roster (a census's declaredUserIds), without
// overflowing the call stack.
import { hasUnknown, UNKNOWN } from "../../../src/schema/user-fields";

it("finds the preview unknown at any depth, and only there", () => {
  expect(hasUnknown(UNKNOWN)).toBe(true);
  expect(hasUnknown({ a: [1, { b: [UNKNOWN] }] })).toBe(true);
  expect(hasUnknown({ a: [1, { b: ["known"] }], c: null })).toBe(false);
  expect(hasUnknown(undefined)).toBe(false);
});

it("walks a list of 300,000 ids (a census's declaredUserIds) without overflowing the stack", () => {
  const ids = Array.from({ length: 300_000 }, (_, i) => String(100000000000000000n + BigInt(i)));
  expect(hasUnknown({ declaredUserIds: ids })).toBe(false);
  ids[123_456] = UNKNOWN;
  expect(hasUnknown({ declaredUserIds: ids })).toBe(true);
});
