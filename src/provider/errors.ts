// Errors of the provider's lifecycle steps: what the provider was doing, in front of the
// client's message; and the guard rail's refusal, which is thrown before any request is sent.
import { isWachtError } from "../client/errors";

/** A guard rail refused the change before any request was sent. */
export class GuardRailError extends Error {
  override name = "GuardRailError";
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for the client's 404. */
export function isNotFound(err: unknown): boolean {
  return isWachtError(err) && (err as { status?: unknown }).status === 404;
}

/** Re-throws `err` with what the provider was doing in front of the client's message. */
export function withContext(action: string, err: unknown): never {
  throw new Error(`${action}: ${messageOf(err)}`, { cause: err });
}
