// A problem with the provider's configuration (stack config or environment): the user's to fix,
// so it names the key and what to do, and prints as that message, once, with no stack trace.
//
// Why it needs its own printed form: for a failed check, diff, read or delete the Pulumi
// dynamic-provider host logs `${e}: ${e.stack}` before returning the error, and the engine then
// prints `e.message` under the resource. An ordinary Error would show its message three times
// (`toString()`, the first line of `stack`, the engine's error) followed by frames of this
// package's code, which say nothing about the user's configuration. Here the host's line is a
// short pointer to the key, and the message appears only as the resource's error.
import { WachtConfigError } from "../client/errors";

export class ProviderConfigError extends WachtConfigError {
  /**
   * @param key where the value comes from, as the user sets it (`wacht:timeoutMs`,
   *   `wacht:apiKey (or WACHT_API_KEY)`)
   * @param message the whole explanation: the key, what is wrong and what to do
   */
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    // An own data property, like V8's: what the host prints after `${e}: `.
    Object.defineProperty(this, "stack", {
      value: `${key}: see the resource's error for what to do`,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  /** What the host prints before `: ${e.stack}`. */
  override toString(): string {
    return "wacht configuration";
  }
}
