// Low-level request/response helpers on node:http: reading a body with the 2 MiB limit of axum's
// `DefaultBodyLimit` (docs/wacht-api.md §1), writing JSON, and writing the error envelope.
import type { IncomingMessage, ServerResponse } from "node:http";
import { envelope } from "./errors";

const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/** Reads the whole body, keeping at most `limit` bytes but draining the rest (`tooLarge`). */
export function readBody(
  req: IncomingMessage,
  limit = BODY_LIMIT_BYTES,
): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () =>
      // A body that arrived in one chunk is used as is (no copy).
      resolve({
        body: tooLarge
          ? EMPTY
          : ((chunks.length === 1 ? chunks[0] : undefined) ?? Buffer.concat(chunks)),
        tooLarge,
      }),
    );
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Writes the error envelope; never sets Retry-After (the real gateway does not). */
export function sendError(res: ServerResponse, status: number, message?: string): void {
  sendJson(res, status, envelope(status, message));
}

/** Writes a non-JSON error page, as a load balancer in front of the API would. */
export function sendHtmlError(res: ServerResponse, status: number): void {
  const text = `<html><head><title>${status}</title></head><body><h1>${status}</h1></body></html>`;
  res.writeHead(status, { "content-type": "text/html", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
