// Fault injection for tests and benchmarks: a queue of rules, each consumed by the next N matching
// requests, and an optional seeded probability mode. A fault is a status (500/502/503/429, before
// or after the handler ran), a delay, a dropped connection, or a failing image upload (the real
// server's non-atomic PATCH, docs/wacht-api.md §3). Shapes are validated with zod for the control routes.
import { z } from "zod";
import { mulberry32 } from "./prng";

const matchSchema = z.strictObject({
  method: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  pathRegex: z.string().min(1).optional(),
});

const phase = z.enum(["before", "after"]).optional();
const common = { match: matchSchema.optional(), count: z.number().int().positive().optional() };

/** zod schema of one queued rule (`POST /__emulator/faults`). */
export const faultRuleSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("status"),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(429)]),
    phase,
    retryAfterSeconds: z.number().int().positive().optional(),
    body: z.enum(["envelope", "html"]).optional(),
    ...common,
  }),
  z.strictObject({ kind: z.literal("delay"), ms: z.number().int().nonnegative(), ...common }),
  z.strictObject({ kind: z.literal("drop"), phase, ...common }),
  z.strictObject({ kind: z.literal("imageUploadFailure"), ...common }),
]);

export const probabilitySchema = z.strictObject({
  seed: z.number().int(),
  match: matchSchema.optional(),
  rates: z.strictObject({
    status500: z.number().min(0).max(1).optional(),
    status502: z.number().min(0).max(1).optional(),
    status503: z.number().min(0).max(1).optional(),
    status429: z.number().min(0).max(1).optional(),
    drop: z.number().min(0).max(1).optional(),
    delay: z
      .strictObject({ rate: z.number().min(0).max(1), ms: z.number().int().nonnegative() })
      .optional(),
  }),
  /**
   * Share of the random status and drop faults that strike AFTER the handler ran (the change is
   * saved, the answer is lost). Default 0: all before.
   */
  afterRate: z.number().min(0).max(1).optional(),
  /** N of the random 429s' "Retry after N seconds" (default 60, like the gateway). */
  retryAfterSeconds: z.number().int().positive().optional(),
});

/** Which requests a rule applies to: method (any case), path prefix, and/or a path RegExp source. */
export type FaultMatch = z.infer<typeof matchSchema>;
/** One queued fault rule; `count` (default 1) is how many matching requests it affects. */
export type FaultRule = z.infer<typeof faultRuleSchema>;
/** Seeded random faults: each matching request draws once against the cumulative rates. */
export type ProbabilityFaults = z.infer<typeof probabilitySchema>;

/** What the server must do for one request: wait `delayMs`, then maybe end it in a phase. */
export interface FaultDecision {
  delayMs: number;
  /** A `status` or `drop` rule: the request ends in its `phase` (default `before`). */
  terminal: Extract<FaultRule, { kind: "status" | "drop" }> | undefined;
  /** Human-readable description for the request log (`null` when no fault applied). */
  description: string | null;
}

export class FaultInjector {
  private queue: Array<{ rule: FaultRule; remaining: number }> = [];
  private probability: { config: ProbabilityFaults; random: () => number } | undefined;

  enqueue(rule: FaultRule): void {
    this.queue.push({ rule: faultRuleSchema.parse(rule), remaining: rule.count ?? 1 });
  }

  /** Turns the probability mode on (re-seeding it) or off (`null`). */
  setProbability(config: ProbabilityFaults | null): void {
    this.probability = config
      ? { config: probabilitySchema.parse(config), random: mulberry32(config.seed) }
      : undefined;
  }

  /** Removes every queued rule and the probability mode. */
  clear(): void {
    this.queue = [];
    this.probability = undefined;
  }

  /** The queued rules with their remaining counts, and the probability mode. */
  state() {
    return {
      queue: this.queue.map((q) => ({ ...q.rule, remaining: q.remaining })),
      probability: this.probability?.config ?? null,
    };
  }

  /** Decides the fault for a request: the first matching queued rule, else a probability draw. */
  decide(method: string, path: string): FaultDecision {
    const rule = this.take(method, path, (r) => r.kind !== "imageUploadFailure");
    if (!rule) return this.draw(method, path);
    return {
      delayMs: rule.kind === "delay" ? rule.ms : 0,
      terminal: rule.kind === "status" || rule.kind === "drop" ? rule : undefined,
      description: describe(rule),
    };
  }

  /** Consumes a matching `imageUploadFailure` rule; called only when an upload is about to happen. */
  takeImageUploadFailure(method: string, path: string): boolean {
    return this.take(method, path, (r) => r.kind === "imageUploadFailure") !== undefined;
  }

  private take(
    method: string,
    path: string,
    accept: (r: FaultRule) => boolean,
  ): FaultRule | undefined {
    const entry = this.queue.find((q) => accept(q.rule) && matches(q.rule.match, method, path));
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.queue.splice(this.queue.indexOf(entry), 1);
    return entry.rule;
  }

  private draw(method: string, path: string): FaultDecision {
    const none: FaultDecision = { delayMs: 0, terminal: undefined, description: null };
    if (!this.probability || !matches(this.probability.config.match, method, path)) return none;
    const { rates } = this.probability.config;
    const r = this.probability.random();
    const delayDraw = this.probability.random();
    const delayMs = rates.delay && delayDraw < rates.delay.rate ? rates.delay.ms : 0;
    const { afterRate, retryAfterSeconds } = this.probability.config;
    // Drawn only when configured, so the sequences of existing seeds do not change.
    const phase =
      afterRate !== undefined && this.probability.random() < afterRate ? "after" : "before";
    const outcomes: Array<[number | undefined, FaultDecision["terminal"] & {}]> = [
      [rates.status500, { kind: "status", status: 500, phase }],
      [rates.status502, { kind: "status", status: 502, phase }],
      [rates.status503, { kind: "status", status: 503, phase }],
      // A 429 comes from the gateway, before any handler (docs/wacht-api.md §8).
      [rates.status429, { kind: "status", status: 429, retryAfterSeconds }],
      [rates.drop, { kind: "drop", phase }],
    ];
    let edge = 0;
    for (const [rate, terminal] of outcomes) {
      edge += rate ?? 0;
      if (r < edge) {
        const delayed = delayMs > 0 ? ` after delay ${delayMs}ms` : "";
        return { delayMs, terminal, description: `${describe(terminal)} (random)${delayed}` };
      }
    }
    return delayMs > 0
      ? { delayMs, terminal: undefined, description: `delay ${delayMs}ms (random)` }
      : none;
  }
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path && !path.startsWith(match.path)) return false;
  if (match.pathRegex && !new RegExp(match.pathRegex).test(path)) return false;
  return true;
}

function describe(rule: FaultRule): string {
  switch (rule.kind) {
    case "status":
      return `status ${rule.status} ${rule.phase ?? "before"}`;
    case "drop":
      return `drop ${rule.phase ?? "before"}`;
    case "delay":
      return `delay ${rule.ms}ms`;
    case "imageUploadFailure":
      return "image upload failure";
  }
}
