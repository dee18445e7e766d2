// A `.json` roster file is strict JSON (RFC 8259): no trailing comma, comment, single quote or
// other YAML-only syntax, although the YAML parser that gives every later problem its position
// would accept them. JSON.parse is the verdict; jsonc-parser's scanner, in its strict mode, says
// where the first error is, which V8's message does not always do (a trailing comma in an array
// has no position) and which must not be parsed out of a message that quotes the file.
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** What each error of the scanner means to someone editing the file. */
const REASONS: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
  InvalidSymbol:
    "a value is not JSON here (strings take double quotes; true, false and null are lowercase)",
  InvalidNumberFormat: "a number is not in JSON form",
  PropertyNameExpected: "a property name in double quotes is expected here (no trailing comma)",
  ValueExpected: "a value is expected here (no trailing comma)",
  ColonExpected: "a colon is expected here",
  CommaExpected: "a comma is expected here",
  CloseBraceExpected: "a closing } is expected here",
  CloseBracketExpected: "a closing ] is expected here",
  EndOfFileExpected: "nothing may follow the JSON value",
  InvalidCommentToken: "JSON has no comments",
  UnexpectedEndOfComment: "JSON has no comments",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number is not complete",
  InvalidUnicode: "a \\u escape is not valid",
  InvalidEscapeCharacter: "an escape in a string is not valid",
  InvalidCharacter: "a control character in a string must be escaped",
};

/** The first JSON syntax error of `text` (offset and reason), or `undefined` when it is JSON. */
export function strictJsonError(text: string): { offset: number; reason: string } | undefined {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const skipped = text.length - body.length;
  try {
    JSON.parse(body);
    return undefined;
  } catch {
    const errors: ParseError[] = [];
    parse(body, errors, STRICT);
    const first = errors[0];
    const reason =
      first === undefined
        ? "the file is not valid JSON"
        : (REASONS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error));
    return { offset: (first?.offset ?? 0) + skipped, reason };
  }
}
