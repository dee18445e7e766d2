// Keep-alive connection reuse: one undici Agent (a pool per origin) shared by every client in the
// process, unless a `dispatcher` option is given. Idle sockets do not keep the process alive.

import { Agent, type Dispatcher } from "undici";

let shared: Agent | undefined;

/** The shared keep-alive dispatcher. */
export function sharedDispatcher(): Dispatcher {
  shared ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  return shared;
}

/** Closes the shared dispatcher (tests, or a CLI that wants to exit immediately). */
export async function closeSharedDispatchers(): Promise<void> {
  const agent = shared;
  shared = undefined;
  await agent?.close();
}
