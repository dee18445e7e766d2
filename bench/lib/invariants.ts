// Accounting invariants: correctness checks the benchmark must not merely print. Every failed one
// is reported at the end and makes `npm run bench` exit non-zero.

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
}

export class Invariants {
  readonly results: InvariantResult[] = [];

  /** Records `name`; prints a loud line immediately when it fails. */
  check(name: string, ok: boolean, detail: string): boolean {
    this.results.push({ name, ok, detail });
    if (!ok) console.error(`INVARIANT VIOLATED: ${name}: ${detail}`);
    return ok;
  }

  /** Records that `actual` equals `expected` (JSON comparison). */
  equal(name: string, actual: unknown, expected: unknown): boolean {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    return this.check(name, a === e, a === e ? a : `expected ${e}, got ${a}`);
  }

  get failed(): InvariantResult[] {
    return this.results.filter((r) => !r.ok);
  }
}
