// Keep-alive connection reuse: one undici Pool per origin, shared by every client in the process
// (unless a `dispatcher` option is given). A Pool is what an Agent keeps per origin; using it
// directly skips the Agent's per-request origin lookup and handler wrapping. Idle sockets do not
// keep the process alive.

import { Pool, type Dispatcher } from "undici";

const pools = new Map<string, Pool>();

/** The shared keep-alive dispatcher for `origin` (`https://api.wacht.dev`). */
export function sharedDispatcher(origin: string): Dispatcher {
  let pool = pools.get(origin);
  if (pool === undefined) {
    pool = new Pool(origin, {
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connections: 64,
    });
    pools.set(origin, pool);
  }
  return pool;
}

/** Closes every shared dispatcher (tests, or a CLI that wants to exit immediately). */
export async function closeSharedDispatchers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}
