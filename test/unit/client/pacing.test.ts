// Client-side pacing: the token bucket maths with a fake clock, and the process-wide registry keyed by
// base URL + SHA-256 of the key (never the raw key).

import { pacingKey, resetPacing, sharedBucket, TokenBucket } from "../../../src/client/pacing";
import { API_KEY } from "./fixtures";

describe("TokenBucket", () => {
  it("lets `capacity` requests start at once, then hands out tokens as they come back a window later", () => {
    const b = new TokenBucket(3, 60_000);
    expect([b.tryReserve(0), b.tryReserve(0), b.tryReserve(10)]).toEqual([0, 0, 0]);
    expect(b.tryReserve(20)).toBe(60_000 - 20); // first token back at t=60 000
    expect(b.tryReserve(20)).toBe(60_000 - 20); // second one, also spent at t=0
    expect(b.tryReserve(20)).toBe(60_010 - 20);
    expect(b.tryReserve(20)).toBe(120_000 - 20); // reuses the slot reserved at t=60 000
  });

  it("never lets more than `capacity` requests start in any rolling window", () => {
    const b = new TokenBucket(5, 1000);
    const starts: number[] = [];
    let t = 0;
    for (let i = 0; i < 40; i++) {
      t += i % 7 === 0 ? 130 : 3;
      starts.push(t + (b.tryReserve(t) ?? NaN));
    }
    starts.sort((x, y) => x - y);
    for (let i = 5; i < starts.length; i++)
      expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(1000);
  });

  it("refuses (without reserving) a slot further away than maxDelayMs", () => {
    const b = new TokenBucket(1, 1000);
    expect(b.tryReserve(0)).toBe(0);
    expect(b.tryReserve(100, 500)).toBeNull();
    expect(b.tryReserve(100, 900)).toBe(900);
    expect(b.tryReserve(100, 1500)).toBeNull(); // next one would be at 2000 → 1900 away
  });

  it("forgets tokens older than the window", () => {
    const b = new TokenBucket(2, 1000);
    b.tryReserve(0);
    b.tryReserve(0);
    expect(b.delayFor(999)).toBe(1);
    expect(b.delayFor(1000)).toBe(0);
    for (let i = 0; i < 5000; i++) b.tryReserve(1000 + i * 500);
    expect(b.delayFor(10_000_000)).toBe(0);
  });
});

describe("sharedBucket", () => {
  afterEach(resetPacing);

  it("shares one bucket per (base URL, key) and never keys it by the raw key", () => {
    const a = sharedBucket("https://x", API_KEY, 100);
    expect(sharedBucket("https://x", API_KEY, 100)).toBe(a);
    expect(sharedBucket("https://y", API_KEY, 100)).not.toBe(a);
    expect(sharedBucket("https://x", "other", 100)).not.toBe(a);
    expect(pacingKey("https://x", API_KEY)).not.toContain(API_KEY);
    expect(pacingKey("https://x", API_KEY)).toMatch(/^https:\/\/x [0-9a-f]{64}$/);
  });

  it("uses the lowest limit asked for a shared budget, and none for Infinity", () => {
    const a = sharedBucket("https://x", API_KEY, 100)!;
    sharedBucket("https://x", API_KEY, 30);
    sharedBucket("https://x", API_KEY, 1000);
    expect(a.capacity).toBe(30);
    expect(sharedBucket("https://x", API_KEY, Infinity)).toBeUndefined();
  });
});
