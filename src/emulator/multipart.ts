// multipart/form-data parsing with @fastify/busboy (never by hand). Every part is read as raw
// bytes, in order, with its name, filename and Content-Type, so handlers can apply the real
// server's rules: UTF-8 checks per field, images decided by their Content-Type, unnamed parts.
import { Busboy } from "@fastify/busboy";
import { buffer } from "node:stream/consumers";
import { ApiError, badRequest } from "./errors";

/** One part of a multipart body, in the order it was sent. */
export interface MultipartPart {
  /** `undefined` when the Content-Disposition has no `name` (→ 400 on the user routes). */
  name: string | undefined;
  filename: string | undefined;
  /** Lower-cased media type without parameters; busboy reports `text/plain` when absent. */
  contentType: string;
  data: Buffer;
}

/** True when the request's Content-Type is multipart/form-data (any case, any parameters). */
export function isMultipart(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*multipart\/form-data\s*(;|$)/i.test(contentType);
}

const EMPTY = Buffer.alloc(0);

/**
 * Parses a complete multipart body. Throws `ApiError` 400 `Bad request` for a non-multipart
 * Content-Type or a missing boundary, and 400 with the parser's error text (prefixed by the part
 * name when known, like axum's `Invalid multipart field '<name>': …`) for a broken stream.
 * A body of zero bytes is treated as a form without parts.
 */
export function parseMultipart(
  contentType: string | undefined,
  body: Buffer,
): Promise<MultipartPart[]> {
  if (contentType === undefined || !isMultipart(contentType)) return Promise.reject(badRequest());
  if (body.length === 0) return Promise.resolve([]);
  return new Promise<MultipartPart[]>((resolve, reject) => {
    let parser: ReturnType<typeof Busboy>;
    try {
      parser = Busboy({
        headers: { "content-type": contentType },
        isPartAFile: () => true,
        limits: { fieldNameSize: 1024, headerSize: 81920 },
      });
    } catch {
      reject(badRequest());
      return;
    }
    const parts: MultipartPart[] = [];
    const reads: Array<Promise<void>> = [];
    let current: string | undefined;
    const fail = (err: unknown): void => {
      const text = err instanceof Error ? err.message : String(err);
      reject(new ApiError(400, current ? `Invalid multipart field '${current}': ${text}` : text));
    };
    parser.on("file", (name, stream, filename, _encoding, mimeType) => {
      current = name;
      const part: MultipartPart = { name, filename, contentType: mimeType, data: EMPTY };
      parts.push(part);
      reads.push(buffer(stream).then((data) => void (part.data = data), fail));
    });
    parser.on("error", fail);
    // Every part's stream may end before or after busboy finishes; an error of either rejects first.
    parser.on("finish", () => {
      void Promise.all(reads).then(() => {
        // busboy silently skips a part with no Content-Disposition; the real server (multer)
        // sees it as a part without a name. Put one back where it was, so the handler's
        // "Multipart field name is missing" check fires in the right order.
        for (const index of partsWithoutDisposition(contentType, body)) {
          parts.splice(index, 0, {
            name: undefined,
            filename: undefined,
            contentType: "text/plain",
            data: EMPTY,
          });
        }
        resolve(parts);
      });
    });
    parser.end(body);
  });
}

/**
 * Indexes (in part order) of the parts whose headers have no Content-Disposition. Not a parser:
 * busboy parsed the body already; this only looks at each part's header block, which busboy
 * does not report for the parts it skips.
 */
export function partsWithoutDisposition(contentType: string, body: Buffer): number[] {
  const m = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (boundary === undefined) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const missing: number[] = [];
  let index = 0;
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString("latin1") === "--") break;
    const headersEnd = body.indexOf("\r\n\r\n", afterDelimiter);
    if (headersEnd === -1) break;
    const headers = body.subarray(afterDelimiter, headersEnd).toString("latin1");
    if (!/^content-disposition\s*:/im.test(headers)) missing.push(index);
    index++;
    at = body.indexOf(delimiter, headersEnd);
  }
  return missing;
}

// Stateless between calls (no `stream` option), so one instance serves every decode.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes a text part as strict UTF-8; `undefined` when the bytes are not valid UTF-8. */
export function utf8(data: Buffer): string | undefined {
  try {
    return UTF8.decode(data);
  } catch {
    return undefined;
  }
}
