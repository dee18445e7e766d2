// Where a node of a parsed roster file stands, and how a key was written: shared by the file's
// own checks (./roster-file.ts) and its memberships (./roster-memberships.ts).
import type { LineCounter, Scalar } from "yaml";

/** The 1-based line and column of a source offset. */
export function toPosition(lines: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** A key as written: a scalar's source text (a plain 18-digit id keeps all its digits). */
export function keyAsWritten(key: Scalar): string {
  return key.source ?? String(key.value);
}

/** The 1-based line and column where `node` starts (undefined: not a parsed node). */
export function nodePosition(
  lines: LineCounter,
  node: unknown,
): { line: number; column: number } | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range === undefined ? undefined : toPosition(lines, range[0]);
}
