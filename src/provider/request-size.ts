// Size limits at check: a declaration whose create POST or update PATCH cannot fit in one Wacht
// request (2 MiB body, docs/wacht-api.md §1) would fail at every apply, so it fails at preview. One
// limit, REQUEST_PARTS_LIMIT_BYTES, applies to each part and to the parts of one request together.
import type { CheckFailure } from "../schema/check-failures";
import {
  FRAMING_RESERVE_BYTES,
  humanBytes,
  MAX_BODY_BYTES,
  REQUEST_PARTS_LIMIT_BYTES,
} from "../schema/user-fields";

/** The declared parts of one request, by property, as the bytes they take on the wire. */
export type PartSizes = Partial<Record<string, number>>;

/** Why the limit is what it is, appended to every size failure. */
const WHY =
  `one request to Wacht carries at most ${humanBytes(REQUEST_PARTS_LIMIT_BYTES)} of fields: ` +
  `its ${MAX_BODY_BYTES / (1024 * 1024)} MiB body limit less ${FRAMING_RESERVE_BYTES / 1024} KiB for the multipart framing`;

/** The bytes `value` takes as a part: text as UTF-8, anything else as JSON. */
export function partBytes(value: unknown): number {
  if (typeof value === "string") return Buffer.byteLength(value, "utf8");
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

/** One failure per part over the limit (the value itself is never echoed). */
export function oversizedParts(sizes: PartSizes): CheckFailure[] {
  return Object.entries(sizes).flatMap(([property, bytes]) =>
    bytes !== undefined && bytes > REQUEST_PARTS_LIMIT_BYTES
      ? [{ property, reason: `${property} is ${humanBytes(bytes)}; ${WHY}` }]
      : [],
  );
}

/**
 * A failure when the parts of one request (`what`: "the create request" …) add up to more than
 * the limit while each fits alone; reported on the largest part.
 */
export function oversizedRequest(what: string, sizes: PartSizes): CheckFailure[] {
  const parts = Object.entries(sizes).filter((e): e is [string, number] => e[1] !== undefined);
  const total = parts.reduce((sum, [, bytes]) => sum + bytes, 0);
  if (total <= REQUEST_PARTS_LIMIT_BYTES) return [];
  if (parts.some(([, bytes]) => bytes > REQUEST_PARTS_LIMIT_BYTES)) return []; // said per part
  const largest = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
  const list = parts.map(([p, bytes]) => `${p} ${humanBytes(bytes)}`).join(", ");
  return [
    {
      property: largest[0],
      reason: `${what} would carry ${humanBytes(total)} (${list}); ${WHY}. Make the values smaller`,
    },
  ];
}
