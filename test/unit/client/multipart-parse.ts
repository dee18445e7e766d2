// Test helper: parses a multipart body back into its parts with @fastify/busboy (what the emulator uses).

import Busboy from "@fastify/busboy";

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  mimeType?: string;
}

export function parseMultipart(body: Buffer, contentType: string): Promise<Part[]> {
  return new Promise((resolve, reject) => {
    const parts: Part[] = [];
    const bb = Busboy({ headers: { "content-type": contentType } });
    bb.on("field", (name: string, value: string) => parts.push({ name, value }));
    bb.on(
      "file",
      (
        name: string,
        stream: NodeJS.ReadableStream,
        filename: string,
        _enc: string,
        mimeType: string,
      ) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () =>
          parts.push({ name, value: Buffer.concat(chunks), filename, mimeType }),
        );
      },
    );
    bb.on("finish", () => resolve(parts));
    bb.on("error", reject);
    bb.end(body);
  });
}
