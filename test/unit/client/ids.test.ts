// User ids: decimal int64 strings only, path-encoded, so no id can reach another route.

import { WachtValidationError } from "../../../src/client";
import { assertUserId } from "../../../src/client/ids";

describe("assertUserId", () => {
  it.each(["0", "1", "123456789012345678", "9223372036854775807"])("accepts %s", (id) => {
    expect(assertUserId(id)).toBe(id);
  });

  it.each([
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
