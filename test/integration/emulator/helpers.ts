// Helpers for the emulator contract tests: start one emulator per file, call it over real HTTP
// with the built-in fetch, build multipart bodies (FormData, or raw bytes for malformed cases).
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../../src/emulator";

export const API_KEY = "sk_test_emulator_contract_key";

/** A parsed response. */
export interface Res {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
  text: string;
}

/** A started emulator plus a small HTTP helper bound to it. */
export interface Harness {
  emu: EmulatorHandle;
  call(method: string, path: string, init?: CallInit): Promise<Res>;
  /** Creates a user through POST /users and returns its id. */
  createUser(fields?: Record<string, string>): Promise<string>;
  patch(id: string, fields: FormData | Raw): Promise<Res>;
  details(id: string): Promise<Res>;
}

export interface Raw {
  body: Buffer;
  contentType: string;
}

export interface CallInit {
  headers?: Record<string, string>;
  body?: FormData | Raw | string | Buffer;
  json?: unknown;
  auth?: string | null;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({ apiKey: API_KEY, ...options });
  const call = async (method: string, path: string, init: CallInit = {}): Promise<Res> => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${API_KEY}`;
    let body: RequestInit["body"];
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] ??= "application/json";
    } else if (init.body instanceof FormData || typeof init.body === "string") {
      body = init.body;
    } else if (Buffer.isBuffer(init.body)) {
      body = new Uint8Array(init.body);
    } else if (init.body) {
      body = new Uint8Array(init.body.body);
      headers["content-type"] = init.body.contentType;
    }
    const res = await fetch(`${emu.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const createUser = async (fields: Record<string, string> = {}): Promise<string> => {
    const form = new FormData();
    const all = {
      first_name: "Ada",
      last_name: "Lovelace",
      email_address: uniqueEmail(),
      password: "Str0ng!pass",
      ...fields,
    };
    for (const [k, v] of Object.entries(all)) form.append(k, v);
    const res = await call("POST", "/users", { body: form });
    if (res.status !== 200) throw new Error(`create failed: ${res.text}`);
    return res.body.id as string;
  };
  return {
    emu,
    call,
    createUser,
    patch: (id, fields) => call("PATCH", `/users/${id}`, { body: fields }),
    details: (id) => call("GET", `/users/${id}/details`),
  };
}

let emailCounter = 0;
export function uniqueEmail(): string {
  return `user${++emailCounter}@example.com`;
}

/** Builds a FormData from text fields. */
export function form(fields: Array<[string, string]> | Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields)) f.append(k, v);
  return f;
}

/** A raw multipart part; omit `name` for a part without one. */
export interface RawPart {
  name?: string;
  filename?: string;
  contentType?: string;
  data: string | Buffer;
}

/** Hand-crafts a multipart body (for cases FormData cannot express). */
export function rawMultipart(parts: RawPart[], boundary = "----contract-boundary"): Raw {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let disposition = "Content-Disposition: form-data";
    if (p.name !== undefined) disposition += `; name="${p.name}"`;
    if (p.filename !== undefined) disposition += `; filename="${p.filename}"`;
    let head = `--${boundary}\r\n${disposition}\r\n`;
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(
      Buffer.from(`${head}\r\n`, "latin1"),
      Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, "utf8"),
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A tiny PNG-ish payload (the emulator decides by Content-Type, not by bytes). */
export const IMAGE_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

/** FormData with one file part of the given Content-Type. */
export function imageForm(
  contentType: string,
  extra: Array<[string, string]> = [],
  bytes: Buffer = IMAGE_BYTES,
): FormData {
  const f = form(extra);
  f.append("profile_image", new Blob([new Uint8Array(bytes)], { type: contentType }), "avatar");
  return f;
}

/** The message of an error envelope, after checking its shape. */
export function errorOf(res: Res): string {
  expect(res.headers.get("content-type")).toBe("application/json");
  expect(Object.keys(res.body)).toEqual(["errors"]);
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors[0].code).toBe(res.status);
  expect(Object.keys(res.body.errors[0]).sort()).toEqual(["code", "message"]);
  return res.body.errors[0].message;
}
