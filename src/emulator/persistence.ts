// Optional persistence of the store to a JSON state file, so a demo's users survive restarts.
// Writes are atomic (a temp file in the same directory, then rename), debounced, serialised one
// after another, and flushed by `close()`. Loading validates the file's shape with zod.
import { promises as fs, readFileSync, existsSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { z } from "zod";
import type { StoreSnapshot } from "./store";

const timestamp = z.number().int().nonnegative();
const jsonValue: z.ZodType<unknown> = z.unknown();
const snapshotSchema = z.object({
  version: z.literal(1),
  idsIssued: z.number().int().nonnegative(),
  users: z.array(
    z.looseObject({
      id: z.string().regex(/^-?\d+$/),
      deploymentId: z.string().regex(/^-?\d+$/),
      createdAt: timestamp,
      updatedAt: timestamp,
      publicMetadata: jsonValue,
      privateMetadata: jsonValue,
      emails: z.array(z.looseObject({ id: z.string(), email: z.string() })),
      phones: z.array(z.looseObject({ id: z.string(), phoneNumber: z.string() })),
    }),
  ),
});

/** Reads a state file; `undefined` when it does not exist. Throws on a corrupt file. */
export function loadStateFile(path: string): StoreSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  const raw: unknown = JSON.parse(readFileSync(path, "utf8"));
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`Invalid emulator state file ${path}: ${parsed.error.message}`);
  return raw as StoreSnapshot;
}

/** Debounced, atomic writer of snapshots to one file. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private counter = 0;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => StoreSnapshot,
    private readonly debounceMs = 25,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes now (cancelling a pending debounce) and waits for every write to finish. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.write();
    }
    await this.chain;
  }

  private write(): Promise<void> {
    const text = JSON.stringify(this.snapshot(), null, 2);
    const tmp = join(
      dirname(this.path),
      `.${basename(this.path)}.${process.pid}.${++this.counter}.tmp`,
    );
    this.chain = this.chain
      .then(async () => {
        await fs.mkdir(dirname(this.path), { recursive: true });
        await fs.writeFile(tmp, text, "utf8");
        await fs.rename(tmp, this.path);
      })
      .catch((err: unknown) => {
        process.emitWarning(`wacht-emulator: could not write ${this.path}: ${String(err)}`);
      });
    return this.chain;
  }
}
