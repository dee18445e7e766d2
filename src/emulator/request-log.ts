// The request log behind GET /__emulator/requests: one entry per API request (control routes are
// not logged) with what the client sent (method, path, query, content type, multipart parts or
// JSON body, secrets redacted) and what happened (status, error message, injected fault).
import type { JsonValue } from "../schema/json";
import { utf8, type MultipartPart } from "./multipart";

/** A logged multipart part: text parts with their value, file parts with their metadata. */
export type LoggedPart =
  | { name: string | null; value: string }
  | { name: string | null; invalidUtf8: true; size: number }
  | { name: string | null; filename: string | null; contentType: string; size: number };

export interface RequestLogEntry {
  seq: number;
  /** RFC 3339 time the request arrived. */
  at: string;
  method: string;
  path: string;
  /** Query parameters (last value wins); `rawQuery` keeps the exact string. */
  query: Record<string, string>;
  rawQuery: string;
  contentType: string | null;
  /** The `User-Agent` header as sent (`null` when absent). */
  userAgent: string | null;
  /** The deployment the API key resolved to (`null` when auth failed or was not reached). */
  deploymentId: string | null;
  /** HTTP status sent, or `null` when the connection was dropped. */
  status: number | null;
  /** The handler's status when an `after` fault replaced or dropped its response, else `null`. */
  handledStatus: number | null;
  /** `errors[0].message` of the error sent (or of the handler's error hidden by an `after` fault). */
  errorMessage: string | null;
  /** The injected fault, e.g. `status 503 before`, `drop after`, `delay 200ms`. */
  fault: string | null;
  /** Parsed parts of a multipart body (`null` for other bodies or unparsable ones). */
  multipart: LoggedPart[] | null;
  /** Parsed JSON body (`null` when none); password fields are redacted. */
  json: JsonValue | null;
  durationMs: number;
}

const REDACTED = "[redacted]";
const SECRET_FIELDS = new Set(["password", "new_password"]);

/** Describes parts for the log; `profile_image` and parts with a filename are shown as files. */
export function describeParts(parts: MultipartPart[]): LoggedPart[] {
  return parts.map((p): LoggedPart => {
    const name = p.name ?? null;
    if (p.filename !== undefined || p.name === "profile_image") {
      return {
        name,
        filename: p.filename ?? null,
        contentType: p.contentType,
        size: p.data.length,
      };
    }
    const text = utf8(p.data);
    if (text === undefined) return { name, invalidUtf8: true, size: p.data.length };
    return { name, value: name !== null && SECRET_FIELDS.has(name) ? REDACTED : text };
  });
}

export function redactJson(value: JsonValue): JsonValue {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELDS.has(k) ? REDACTED : v;
  return out;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 10_000) {}

  /** Appends an entry (without `seq`), dropping the oldest beyond the limit. */
  add(entry: Omit<RequestLogEntry, "seq">): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    if (this.entries.length > this.limit) this.entries.shift();
  }

  /** A copy of the entries, oldest first. */
  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  /** Empties the log (sequence numbers keep increasing). */
  clear(): void {
    this.entries = [];
  }
}
