// User ids: decimal int64 strings only, path-encoded, so no id can reach another route.

import { WachtValidationError } from "../../../src/client";
import { assertUserId, isUserId } from "../../../src/client/ids";

describe("assertUserId", () => {
  it.each(["1", "0042", "123456789012345678", "9223372036854775807"])("accepts %s", (id) => {
    expect(assertUserId(id)).toBe(id);
  });

  it.each([
    // One rule with the declaration check (issue 12): ids are positive int64, so 0 is refused.
    "0",
    "000",
    "",
    "../1",
    "1?x=2",
    "1/password",
    "-1",
    "9223372036854775808",
    "99999999999999999999",
    " 1",
    "1 ",
    "1e3",
    "0x1f",
    "１２",
  ])("rejects %j", (id) => {
    expect(() => assertUserId(id)).toThrow(WachtValidationError);
  });

  it.each([1, 1n, null, undefined, {}])("rejects non-strings (%p)", (id) => {
    expect(() => assertUserId(id)).toThrow(/must be a decimal string/);
  });
});

describe("isUserId", () => {
  it("is the same rule as assertUserId: positive int64 decimal strings only", () => {
    expect(["1", "9223372036854775807", "310000000000000001"].every(isUserId)).toBe(true);
    expect(["0", "-1", "9223372036854775808", "1.0", "", " 1"].some(isUserId)).toBe(false);
    expect([1, 1n, null, undefined].some(isUserId)).toBe(false);
    expect(() => assertUserId("0")).toThrow(
      'Wacht user id must be a positive decimal int64 string, got "0"',
    );
  });
});
