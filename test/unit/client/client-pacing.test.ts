// Pacing through the client with a fake clock: callers sharing (base URL, key) share one bucket, calls
// beyond the limit wait for a token, and a wait beyond the total budget fails locally without sending.

import { WachtTimeoutError } from "../../../src/client";
import { resetPacing } from "../../../src/client/pacing";
import { ORIGIN, userDetails } from "./fixtures";
import { makeClient, mockAgent, rejection } from "./helpers";

const JSON_HEADERS = { headers: { "content-type": "application/json" } };

afterEach(resetPacing);

it("slows callers down once the per-minute budget is spent, across clients sharing the key", async () => {
  const agent = mockAgent();
  const a = makeClient({ requestsPerMinute: 3 }, agent);
  // A second client with the same base URL and key (same fake clock) shares the bucket.
  const b = makeClient(
    {
      requestsPerMinute: 3,
      now: () => a.clock.now,
      sleep: async (ms) => {
        a.waits.push(ms);
        a.clock.now += ms;
      },
    },
    agent,
  );
  a.pool
    .intercept({ path: "/users/1/details", method: "GET" })
    .reply(200, userDetails({ id: "1" }), JSON_HEADERS)
    .times(5);
  await a.client.users.get("1");
  a.clock.now += 1000;
  await b.client.users.get("1");
  await a.client.users.get("1");
  expect(a.waits).toEqual([]);
  await b.client.users.get("1"); // 4th in the minute: waits until the first token is back
  expect(a.waits).toEqual([59_000]);
  await a.client.users.get("1");
  expect(a.waits).toEqual([59_000, 1000]);
  agent.assertNoPendingInterceptors();
  await agent.close();
});

it("fails locally, sending nothing, when the next slot is beyond the total budget", async () => {
  const agent = mockAgent();
  const c = makeClient(
    { baseUrl: `${ORIGIN}/budget`, requestsPerMinute: 1, totalTimeoutMs: 5000 },
    agent,
  );
  c.pool
    .intercept({ path: "/budget/users/1/details", method: "GET" })
    .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
  await c.client.users.get("1");
  const e = (await rejection(c.client.users.get("1"))) as WachtTimeoutError;
  expect(e).toBeInstanceOf(WachtTimeoutError);
  expect(e).toMatchObject({ phase: "total", attempts: 0, requestMaybeSent: false });
  expect(e.message).toMatch(
    /client-side pacing: the next request slot is beyond the remaining total budget/,
  );
  agent.assertNoPendingInterceptors();
  await agent.close();
});
