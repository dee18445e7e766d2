// Processes a test started and expects to end by themselves (the engine watch's tests).

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until every pid is gone. A deadline, not a timing assertion: it fails (and SIGKILLs what
 * is left) only for a process that would otherwise run on forever.
 */
export async function waitUntilGone(
  pids: number[],
  deadlineMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (pids.some(alive)) {
    if (Date.now() > deadline) {
      for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
      throw new Error(`${what} (${pids.join(", ")}) still ran after ${deadlineMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
