// Client unit-test helpers: a MockAgent with net connect disabled, and a WachtClient with a fake clock
// and sleep (no real waits), pacing off, and every retry recorded.

import { MockAgent } from "undici";
import { WachtClient, type RetryInfo, type WachtClientOptions } from "../../../src/client";
import { API_KEY, ORIGIN } from "./fixtures";

export interface TestClient {
  client: WachtClient;
  agent: MockAgent;
  pool: ReturnType<MockAgent["get"]>;
  /** Waits requested through sleep(), in ms. */
  waits: number[];
  retries: RetryInfo[];
  clock: { now: number };
}

export function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export function makeClient(options: WachtClientOptions = {}, agent = mockAgent()): TestClient {
  const waits: number[] = [];
  const retries: RetryInfo[] = [];
  const clock = { now: Date.parse("2026-07-01T00:00:00Z") };
  const client = new WachtClient({
    apiKey: API_KEY,
    baseUrl: ORIGIN,
    dispatcher: agent,
    requestsPerMinute: Infinity,
    env: {},
    now: () => clock.now,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { client, agent, pool: agent.get(ORIGIN), waits, retries, clock };
}

/** Resolves with the rejection of `p` (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the promise to reject");
}
