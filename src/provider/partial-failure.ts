// Partial failures. Wacht's PATCH is not atomic (fields are written before the image upload,
// wacht-api.md §3), and a created user exists even if the PATCH after its POST fails. Throwing a
// plain error would make the engine keep the old state (or none: the next `up` would create the
// user again). An error carrying `id` and `properties` is reported by the dynamic-provider host
// as ErrorResourceInitFailed, and the engine stores those properties: the state then matches the
// server, and the next `up` retries only what did not happen.

/** An operation that changed the user but did not finish; `properties` is the state to keep. */
export class PartialFailureError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(message: string, id: string, properties: Record<string, unknown>, cause: unknown) {
    super(message, { cause });
    this.name = "PartialFailureError";
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}
