// A membership's keys compare as ids when they are ids ("042" is 42) and as text otherwise: a
// member role's role NAME "0x10" or " 5" is not the id 16 or 5, so renaming it is a change.
import { sameKey } from "../../../src/membership/declaration";

test("ids compare canonically, anything else as written", () => {
  expect(sameKey("042", "42")).toBe(true);
  expect(sameKey("540000000000000001", "540000000000000001")).toBe(true);
  expect(sameKey("0x10", "16")).toBe(false);
  expect(sameKey(" 5", "5")).toBe(false);
  expect(sameKey("Admin", "admin")).toBe(false);
  expect(sameKey(undefined, "1")).toBe(false);
});
