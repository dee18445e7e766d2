// Warnings from the provider process. pulumi.log reports to the engine when one is attached and
// falls back to stderr otherwise, which the engine shows as diagnostics for dynamic providers.
import * as pulumi from "@pulumi/pulumi";

/** Emits a warning that users see in `pulumi up` / `refresh` output. */
export function warn(message: string): void {
  void pulumi.log.warn(`wacht.User: ${message}`);
}
