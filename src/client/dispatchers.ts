// Keep-alive connection reuse: one undici Agent per origin, shared by every client in the process
// (unless a `dispatcher` option is given). Idle sockets do not keep the process alive.

import { Agent, type Dispatcher } from "undici";

const agents = new Map<string, Agent>();

/** The shared keep-alive dispatcher for `origin` (`https://api.wacht.dev`). */
export function sharedDispatcher(origin: string): Dispatcher {
  let agent = agents.get(origin);
  if (agent === undefined) {
    agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 64 });
    agents.set(origin, agent);
  }
  return agent;
}

/** Closes every shared dispatcher (tests, or a CLI that wants to exit immediately). */
export async function closeSharedDispatchers(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close()));
}
