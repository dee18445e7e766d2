// Helpers shared by the route handlers: int64 path ids (400 `Bad request` otherwise), user lookup
// scoped to the caller's deployment, JSON bodies with axum's 413/415/400/422 rejections
// (docs/wacht-api.md §7), and the `200 {}` unit result.
import type { z } from "zod";
import type { EmulatorState, HandlerResult, RequestContext } from "../context";
import { ApiError, badRequest } from "../errors";
import { parseInt64 } from "../ids";
import type { StoredUser } from "../model";

/** `200 {}`: what every unit-returning endpoint sends. */
export const unit = (): HandlerResult => ({ status: 200, body: {} });

export const ok = (body: object): HandlerResult => ({ status: 200, body });

/** One page of `rows` as the offset listings answer: `{data, has_more, limit, offset}`. */
export function offsetPage<T>(
  rows: T[],
  limit: number,
  offset: number,
  view: (row: T) => object,
): HandlerResult {
  const page = rows.slice(offset, offset + limit + 1);
  return ok({ data: page.slice(0, limit).map(view), has_more: page.length > limit, limit, offset });
}

/** A validated int64 path parameter in canonical decimal form; 400 `Bad request` otherwise. */
export function pathId(ctx: RequestContext, name: string): string {
  const id = parseInt64(ctx.params[name] ?? "");
  if (id === undefined) throw badRequest();
  return id;
}

/** The user of the path's `user_id` in the caller's deployment, or a 404 with `message`. */
export function requireUser(
  state: EmulatorState,
  ctx: RequestContext,
  message: string,
  userId = pathId(ctx, "user_id"),
): StoredUser {
  const user = state.store.get(ctx.deploymentId, userId);
  if (!user) throw new ApiError(404, message);
  return user;
}

/**
 * Validates the path ids `user_id` and `param` now (a 400 comes before any body error), and
 * returns the lookup of the user and its row of `rows` (emails, phones) with that id, which
 * throws a 404 with `message` when either is missing.
 */
export function rowLookup<R extends { id: string }>(
  state: EmulatorState,
  ctx: RequestContext,
  rows: (user: StoredUser) => R[],
  param: string,
  message: string,
): () => { user: StoredUser; row: R } {
  const userId = pathId(ctx, "user_id");
  const id = pathId(ctx, param);
  return () => {
    const user = state.store.get(ctx.deploymentId, userId);
    const row = user && rows(user).find((r) => r.id === id);
    if (!user || !row) throw new ApiError(404, message);
    return { user, row };
  };
}

/** After a change to a user's emails or phones: re-index for search, persist. */
export function changed(state: EmulatorState, user: StoredUser): void {
  state.store.reindex(user);
  state.store.changed();
}

/** True for `application/json` and `application/*+json`, as axum's `Json` extractor checks. */
function isJsonContentType(contentType: string | undefined): boolean {
  const mime = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  const [type, subtype = ""] = mime.split("/");
  return type === "application" && (subtype === "json" || subtype.endsWith("+json"));
}

/**
 * Reads a JSON body like axum's `Json<T>`: 413 over 2 MiB, 415 `Request failed` without a JSON
 * Content-Type, 400 `Bad request` for malformed JSON, 422 `Invalid request payload` when the
 * value does not fit the schema (missing field, wrong type).
 */
export function readJson<T extends z.ZodType>(ctx: RequestContext, schema: T): z.infer<T> {
  if (ctx.bodyTooLarge) throw new ApiError(413);
  if (!isJsonContentType(ctx.contentType)) throw new ApiError(415);
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString("utf8"));
  } catch {
    throw badRequest();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(422);
  return parsed.data;
}
