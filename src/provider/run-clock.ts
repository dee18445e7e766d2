// The instant this run is judged at: read once per provider process (one process serves one
// `pulumi preview`/`up`), so every user in a run sees the same "now" and a run is deterministic.
let instant: number | undefined;

/** Milliseconds since the epoch, fixed at the first call in this process. */
export function runInstant(): number {
  instant ??= Date.now();
  return instant;
}
