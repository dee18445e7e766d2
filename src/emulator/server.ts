// The node:http server and its request pipeline, in the real server's order (docs/wacht-api.md §3):
// injected fault (delay / status / drop), auth (401), rate limit (429), routing (404/405), then the
// handler (path id 400, multipart 400, validation 400, 404 …). Control routes short-circuit first.
// Every API request is logged with its outcome.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate } from "./auth";
import type { RequestContext } from "./context";
import { CONTROL_PREFIX, handleControl } from "./control";
import { ApiError, envelope, rateLimitMessage } from "./errors";
import type { FaultDecision } from "./faults";
import { readBody, sendError, sendHtmlError, sendJson } from "./http-io";
import type { JsonValue } from "../schema/json";
import { isMultipart, parseMultipart, type MultipartPart } from "./multipart";
import { describeParts, redactJson, type RequestLogEntry } from "./request-log";
import { matchApiRoute } from "./routes";
import type { EmulatorRuntime } from "./runtime";

/** The outcome of the pipeline before it is written (or dropped). */
type Outcome =
  | { kind: "json"; status: number; body: object }
  | { kind: "html"; status: number }
  | { kind: "drop" };

export function createEmulatorServer(rt: EmulatorRuntime): Server {
  return createServer((req, res) => {
    handle(rt, req, res).catch((err: unknown) => {
      process.emitWarning(`wacht-emulator: unexpected error: ${String(err)}`);
      if (!res.headersSent) sendError(res, 500);
      else res.destroy();
    });
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function handle(
  rt: EmulatorRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q === -1 ? "" : rawUrl.slice(q + 1);
  const method = req.method ?? "GET";

  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
    const { body } = await readBody(req);
    try {
      const [status, out] = handleControl(rt, req, path, body);
      sendJson(res, status, out);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500);
      sendError(res, e.status, e.message);
    }
    return;
  }

  const started = performance.now();
  const at = new Date().toISOString();
  const { state } = rt;
  const decision = state.faults.decide(method, path);
  const contentType = req.headers["content-type"];
  const { body, tooLarge } = await readBody(req);
  let parts: Promise<MultipartPart[]> | undefined;
  const multipart = (): Promise<MultipartPart[]> => (parts ??= parseMultipart(contentType, body));
  let deploymentId: string | null = null;
  let fault = decision.description;
  let handled: Outcome | undefined;

  const outcome = await (async (): Promise<Outcome> => {
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    const early = terminal(decision, "before");
    if (early) return early;
    const auth = authenticate(req.headers.authorization, rt.keys);
    if (!auth.ok) return errorOutcome(401, auth.message);
    deploymentId = auth.deploymentId;
    const retryAfter = state.rateLimiter.hit(auth.deploymentId);
    if (retryAfter !== undefined) return errorOutcome(429, rateLimitMessage(retryAfter));
    const match = matchApiRoute(method, path);
    if (match.kind === "not-found") return errorOutcome(404);
    if (match.kind === "method-not-allowed") return errorOutcome(405);
    const ctx: RequestContext = {
      method,
      path,
      params: match.params,
      query: new URLSearchParams(rawQuery),
      contentType,
      body,
      bodyTooLarge: tooLarge,
      deploymentId: auth.deploymentId,
      multipart,
      imageUploadFails: () => {
        const fails = state.faults.takeImageUploadFailure(method, path);
        if (fails) fault = "image upload failure";
        return fails;
      },
    };
    try {
      handled = { kind: "json", ...(await match.handler(state, ctx)) };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      handled = errorOutcome(err.status, err.message);
    }
    return terminal(decision, "after") ?? handled;
  })();

  if (outcome.kind === "drop") req.socket.destroy();
  else if (outcome.kind === "html") sendHtmlError(res, outcome.status);
  else sendJson(res, outcome.status, outcome.body);

  // The handler's own outcome, when an `after` fault replaced or dropped it.
  const hidden = handled === outcome ? undefined : handled;
  state.log.add({
    at,
    method,
    path,
    query: rawQuery === "" ? {} : Object.fromEntries(new URLSearchParams(rawQuery)),
    rawQuery,
    contentType: contentType ?? null,
    userAgent: req.headers["user-agent"] ?? null,
    deploymentId,
    status: outcome.kind === "drop" ? null : outcome.status,
    handledStatus: !hidden || hidden.kind === "drop" ? null : hidden.status,
    errorMessage: messageOf(outcome) ?? (hidden ? messageOf(hidden) : null),
    fault,
    ...(await loggedBody(contentType, body, multipart)),
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  });
}

function errorOutcome(status: number, message?: string): Outcome {
  return { kind: "json", status, body: envelope(status, message) };
}

/** The fault's response for a phase, if it ends the request in that phase. */
function terminal(decision: FaultDecision, phase: "before" | "after"): Outcome | undefined {
  const t = decision.terminal;
  if (!t || (t.phase ?? "before") !== phase) return undefined;
  if (t.kind === "drop") return { kind: "drop" };
  if (t.body === "html") return { kind: "html", status: t.status };
  const retryAfter = t.retryAfterSeconds ?? 60;
  return errorOutcome(t.status, t.status === 429 ? rateLimitMessage(retryAfter) : undefined);
}

/** A request body as the log shows it: its parts, or its JSON (passwords redacted). */
async function loggedBody(
  contentType: string | undefined,
  body: Buffer,
  multipart: () => Promise<MultipartPart[]>,
): Promise<Pick<RequestLogEntry, "multipart" | "json">> {
  if (isMultipart(contentType)) {
    return { multipart: await multipart().then(describeParts, () => null), json: null };
  }
  let json: JsonValue | null = null;
  if (body.length > 0 && /json/i.test(contentType ?? "")) {
    try {
      json = redactJson(JSON.parse(body.toString("utf8")) as JsonValue);
    } catch {
      json = null;
    }
  }
  return { multipart: null, json };
}

function messageOf(o: Outcome): string | null {
  if (o.kind !== "json" || o.status < 400) return null;
  return (o.body as ReturnType<typeof envelope>).errors[0].message;
}
