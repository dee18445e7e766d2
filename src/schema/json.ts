// JSON values as the Wacht API stores them in public_metadata / private_metadata (wacht-api.md §3, §5).
// Pure types + one zod schema; no I/O. Shared by the client (wire shapes) and the provider (inputs).

import { z } from "zod";

/** A JSON object: string keys to JSON values. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Any value that survives a JSON round trip unchanged (no undefined, NaN, functions, bigint). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** Zod schema accepting exactly the {@link JsonValue}s (finite numbers, plain arrays/objects). */
export const JsonValueSchema: z.ZodType<JsonValue> = z.json();
