// Partial failures. Wacht's PATCH is not atomic (fields are written before the image upload,
// docs/wacht-api.md §3), and a created user exists even if the PATCH after its POST fails. Throwing a
// plain error would make the engine keep the old state (or none: the next `up` would create the
// user again). An error carrying `id` and `properties` is reported by the dynamic-provider host
// as ErrorResourceInitFailed, and the engine stores those properties: the state then matches the
// server, and the next `up` retries only what did not happen.
import { placeholderOutputs, toOutputs, type DeclarationState } from "../diff/declaration-state";
import { messageOf } from "./errors";
import type { LiveUsers } from "./live/live-users";

/** An operation that changed the user but did not finish; `properties` is the state to keep. */
export class PartialFailureError extends Error {
  override name = "PartialFailureError";
  readonly reasons: string[];

  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: unknown,
  ) {
    super(message, { cause });
    this.reasons = [message];
  }
}

/**
 * Builds the error for a write that may have been half applied: the user is read again and that
 * live state (with `declaration`) becomes the resource's state. When even the read fails, the
 * original error is returned unchanged, or, when the user must be recorded (this run created
 * it), a placeholder state with its id.
 */
export async function partialFailure(
  users: LiveUsers,
  userId: string,
  engineKeys: { __provider?: unknown },
  declaration: DeclarationState,
  err: unknown,
  mustRecord = false,
): Promise<Error> {
  const message = messageOf(err);
  try {
    const { user } = await users.read(userId);
    return new PartialFailureError(
      `${message} (the state now records Wacht user ${userId} as it is on the server; the next \`pulumi up\` retries what is missing)`,
      userId,
      { ...toOutputs(user, declaration), __provider: engineKeys.__provider },
      err,
    );
  } catch {
    if (!mustRecord) return err instanceof Error ? err : new Error(message);
    // The user exists (we created it) but cannot be read now: record its id anyway, or the
    // next `up` would create it a second time.
    return new PartialFailureError(
      `${message} (Wacht user ${userId} was created; the state records it and the next \`pulumi up\` completes it)`,
      userId,
      { ...placeholderOutputs(userId, declaration), __provider: engineKeys.__provider },
      err,
    );
  }
}
