// Errors of the provider's lifecycle steps: what the provider was doing, in front of the
// client's message; and the guard rail's refusal, which is thrown before any request is sent.
import { isWachtError } from "../client/errors";

/** A guard rail refused the change before any request was sent. */
export class GuardRailError extends Error {
  override name = "GuardRailError";
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function isNotFound(err: unknown): boolean {
  return isWachtError(err) && (err as { status?: unknown }).status === 404;
}

export function isUnauthorized(err: unknown): boolean {
  return isWachtError(err) && (err as { status?: unknown }).status === 401;
}

/**
 * After a key rotation a refresh still authenticates with the key recorded in the state: the
 * engine configures the provider for a refresh from the configuration the last update recorded
 * (docs/pulumi-engine.md), not from the stack config just set.
 */
export const REFRESH_KEY_HINT =
  "If you changed wacht:apiKey since the last `pulumi up`: a refresh uses the configuration recorded by that update; run `pulumi up` once without --refresh (or `pulumi refresh --run-program`) to record the new key.";

/** `err` with what the provider was doing in front of the client's message. */
export function inContext(action: string, err: unknown, hint?: string): Error {
  const message = `${action}: ${messageOf(err)}`;
  return new Error(hint === undefined ? message : `${message} ${hint}`, { cause: err });
}

/** Re-throws `err` with what the provider was doing in front of the client's message. */
export function withContext(action: string, err: unknown, hint?: string): never {
  throw inContext(action, err, hint);
}
