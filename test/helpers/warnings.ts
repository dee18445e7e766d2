// Expected warnings are captured and asserted, not printed. The provider warns through
// pulumi.log.warn, which prints with console.warn when no engine is attached (in-process tests).
// The provider loads the SDK at its first warning. Loading it here, when the test file loads, keeps
// those 4-5 s (under ts-jest on a loaded 2-core machine) out of the first test's 5 s limit.
import "@pulumi/pulumi";

/** Captures console.warn until `done()`, which restores it and returns the messages. */
export function captureWarnings(): { messages: string[]; done(): string[] } {
  const messages: string[] = [];
  const spy = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    messages.push(args.map(String).join(" "));
  });
  return {
    messages,
    done(): string[] {
      spy.mockRestore();
      return messages;
    },
  };
}
