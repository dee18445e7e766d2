// The raw-undici baseline of the client benchmarks (throughput, wire-limit, wire-limit-compare):
// the fields every client sends, and a keep-alive Pool (as many connections as the client's Agent)
// sending the PATCH body form-data built once, with nothing else around it.
import FormData from "form-data";
import { Pool, type Dispatcher } from "undici";

/** What each client of the throughput benchmarks PATCHes. */
export const PATCH_FIELDS = {
  firstName: "Bench",
  lastName: "Runner",
  publicMetadata: { tier: "gold", team: "bench" },
} as const;

export interface RawUndici {
  pool: Pool;
  /** One PATCH /users/{id} of the prebuilt body; the caller reads the answer. */
  patch(id: string): Promise<Dispatcher.ResponseData>;
}

export function rawUndici(url: string, apiKey: string): RawUndici {
  const pool = new Pool(url, { connections: 64, keepAliveTimeout: 10_000 });
  const form = new FormData();
  form.append("first_name", PATCH_FIELDS.firstName);
  form.append("last_name", PATCH_FIELDS.lastName);
  form.append("public_metadata", JSON.stringify(PATCH_FIELDS.publicMetadata));
  const body = form.getBuffer();
  const headers = { ...form.getHeaders(), authorization: `Bearer ${apiKey}` };
  return {
    pool,
    patch: (id) => pool.request({ method: "PATCH", path: `/users/${id}`, headers, body }),
  };
}
