// Redaction of server-provided text: anything a server (or a proxy) sends may echo the API key or a
// password — the error body, a header such as x-request-id, the content type — so every such string
// goes through here before it reaches an error or a log. scrubError is the last pass over an error
// leaving a call, so a text missed upstream cannot carry a secret out either.

import type { WachtError } from "./errors";

/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** Shorter values are not redacted (they would match ordinary text). */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every secret (≥ 4 chars) in `text` with `[REDACTED]`, in its raw form and in its
 * percent-encoded form (a key echoed inside a URL).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    out = out.split(s).join(REDACTED);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

function scrubValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === "string") return redact(value, secrets);
  if (depth > 3 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets, depth + 1));
  if (value instanceof Error) return value; // causes are handled by scrubError itself
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, secrets, depth + 1);
  return out;
}

/**
 * Redacts, in place, the message, stack and every own string (or nested plain) property of `error`
 * and of its cause chain. Returns the same error. Only the failure path pays for this.
 */
export function scrubError<E extends WachtError>(error: E, secrets: readonly string[]): E {
  let e: unknown = error;
  for (let i = 0; i < 4 && e instanceof Error; i++) {
    const target = e as Error & Record<string, unknown>;
    target.message = redact(target.message, secrets);
    if (typeof target.stack === "string") target.stack = redact(target.stack, secrets);
    for (const [k, v] of Object.entries(target)) {
      const clean = scrubValue(v, secrets, 0);
      if (clean !== v) Object.defineProperty(target, k, { value: clean });
    }
    e = target.cause;
  }
  return error;
}
