// deeperThan (src/schema/json.ts): how `check` refuses metadata deeper than Wacht's JSON parser
// takes (docs/wacht-api.md §3), at any width: a list of 200,000 items overflowed the call stack
// (a RangeError out of `check`) when its items were spread into one `push`.
import { deeperThan, MAX_JSON_DEPTH } from "../../../src/schema/json";

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

it("tells metadata deeper than the limit from metadata at the limit", () => {
  expect(deeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
  expect(deeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  expect(deeperThan("flat", MAX_JSON_DEPTH)).toBe(false);
});

it("walks a list of 500,000 items without overflowing the stack", () => {
  const wide = { items: new Array<number>(500_000).fill(1) };
  expect(deeperThan(wide, MAX_JSON_DEPTH)).toBe(false);
  expect(deeperThan({ items: [...wide.items, nested(MAX_JSON_DEPTH)] }, MAX_JSON_DEPTH)).toBe(true);
});
