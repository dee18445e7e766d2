// Expected warnings are captured and asserted, not printed. The provider warns through
// pulumi.log.warn, which prints with console.warn when no engine is attached (in-process tests).

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
