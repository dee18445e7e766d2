// The control routes under /__emulator/ (outside the real API): request log, faults, reset, stored
// users and their internal facts, organizations (seeded and dumped), auth settings and the rate
// limit. They need no API key, are not
// rate limited, faulted or logged, and answer only loopback clients (403 otherwise).
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { authSettingsInputSchema } from "./auth-settings";
import { ApiError, badRequest } from "./errors";
import { faultRuleSchema, probabilitySchema } from "./faults";
import { compileRoutes, routeRows } from "./routes";
import { userPatchSchema, type EmulatorRuntime } from "./runtime";
import { seedFileSchema, seedUserSchema } from "./seed";
import { seedOrganizationSchema, seedOrganizationsSchema } from "./b2b/seed";

export const CONTROL_PREFIX = "/__emulator";

type ControlHandler = (
  rt: EmulatorRuntime,
  params: Record<string, string>,
  body: unknown,
) => object;

const faultsBody = z.union([
  faultRuleSchema,
  z.array(faultRuleSchema),
  z.strictObject({ probability: probabilitySchema.nullable() }),
]);

const rateLimitBody = z.strictObject({
  perMinute: z.union([z.number().int().positive(), z.literal(false)]),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, `Invalid control request: ${z.prettifyError(r.error)}`);
  return r.data;
}

const CONTROL_ROUTES = routeRows<ControlHandler>({
  "GET /__emulator/info": (rt) => ({
    deployment_id: rt.deploymentId,
    rate_limit_per_minute: rt.state.rateLimiter.perWindow,
    auth_settings: rt.state.authSettings,
    search_index_lag_ms: rt.state.store.searchIndexLagMs,
  }),
  "GET /__emulator/requests": (rt) => ({ requests: rt.state.log.list() }),
  "DELETE /__emulator/requests": (rt) => {
    rt.state.log.clear();
    return {};
  },
  "GET /__emulator/faults": (rt) => rt.state.faults.state(),
  "POST /__emulator/faults": (rt, _p, body) => {
    const req = parse(faultsBody, body);
    if ("probability" in req) rt.state.faults.setProbability(req.probability);
    else for (const rule of Array.isArray(req) ? req : [req]) rt.state.faults.enqueue(rule);
    return rt.state.faults.state();
  },
  "DELETE /__emulator/faults": (rt) => {
    rt.state.faults.clear();
    return rt.state.faults.state();
  },
  "POST /__emulator/reset": (rt) => {
    rt.reset();
    return {};
  },
  "GET /__emulator/users": (rt) => ({ users: rt.dumpUsers() }),
  "POST /__emulator/users": (rt, _p, body) => {
    const users = Array.isArray(body) ? parse(seedFileSchema, body) : [parse(seedUserSchema, body)];
    return { users: rt.seedUsers(users) };
  },
  "GET /__emulator/users/{id}": (rt, p) => found(rt.dumpUser(p.id ?? "")),
  "PATCH /__emulator/users/{id}": (rt, p, body) =>
    found(rt.patchUser(p.id ?? "", parse(userPatchSchema, body))),
  "GET /__emulator/organizations": (rt) => ({ organizations: rt.dumpOrganizations() }),
  "POST /__emulator/organizations": (rt, _p, body) => {
    const orgs = Array.isArray(body)
      ? parse(seedOrganizationsSchema, body)
      : [parse(seedOrganizationSchema, body)];
    try {
      return { organizations: rt.seedOrganizations(orgs) };
    } catch (err) {
      throw new ApiError(400, `Invalid control request: ${String(err)}`);
    }
  },
  "GET /__emulator/auth-settings": (rt) => rt.state.authSettings,
  "PATCH /__emulator/auth-settings": (rt, _p, body) =>
    rt.setAuthSettings(parse(authSettingsInputSchema, body)),
  "PUT /__emulator/rate-limit": (rt, _p, body) => {
    rt.state.rateLimiter.setLimit(parse(rateLimitBody, body).perMinute);
    return { perMinute: rt.state.rateLimiter.perWindow };
  },
});

const matchControl = compileRoutes(CONTROL_ROUTES);

function found<T extends object>(value: T | undefined): T {
  if (!value) throw new ApiError(404, "Resource not found");
  return value;
}

/** True for requests from 127.0.0.0/8 or ::1 (also IPv4-mapped). */
export function isLoopback(req: IncomingMessage): boolean {
  const addr = req.socket.remoteAddress ?? "";
  return addr === "::1" || /^(::ffff:)?127\./.test(addr);
}

/** Runs a control route; returns `[status, body]`. Throws `ApiError` for errors. */
export function handleControl(
  rt: EmulatorRuntime,
  req: IncomingMessage,
  path: string,
  rawBody: Buffer,
): [number, object] {
  if (!isLoopback(req)) throw new ApiError(403, "Control routes answer loopback clients only");
  const match = matchControl(req.method ?? "GET", path);
  if (match.kind === "not-found") throw new ApiError(404);
  if (match.kind === "method-not-allowed") throw new ApiError(405);
  let body: unknown = undefined;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      throw badRequest();
    }
  }
  return [200, match.handler(rt, match.params, body)];
}
