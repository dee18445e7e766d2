// The control routes under /__emulator/ (outside the real API): request log, faults, reset, stored
// users and their internal facts, organizations (seeded and dumped), auth settings and the rate
// limit. They need no API key, are not
// rate limited, faulted or logged, and answer only loopback clients (403 otherwise).
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { ApiError, badRequest } from "./errors";
import { faultRuleSchema, probabilitySchema } from "./faults";
import { compileRoutes } from "./routes";
import type { EmulatorRuntime } from "./runtime";
import { seedFileSchema, seedUserSchema, userFactFields } from "./seed";
import { seedOrganizationSchema, seedOrganizationsSchema } from "./b2b/seed";

/** Paths starting with this prefix are control routes. */
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

const userPatchBody = z.strictObject({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  ...userFactFields,
  add_social_connections: z
    .array(
      z.strictObject({
        provider: z.string(),
        email_address: z.string(),
        access_token: z.string().optional(),
        refresh_token: z.string().optional(),
      }),
    )
    .optional(),
});

const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).partial().optional();
const nameSection = section({ enabled: z.boolean(), required: z.boolean().nullable() });
const idSection = section({ enabled: z.boolean(), required: z.boolean() });
const authSettingsBody = z.strictObject({
  firstName: nameSection,
  lastName: nameSection,
  emailAddress: idSection,
  phoneNumber: idSection,
  username: section({
    enabled: z.boolean(),
    required: z.boolean(),
    minLength: z.number().int().nonnegative().nullable(),
    maxLength: z.number().int().nonnegative().nullable(),
  }),
  password: section({
    enabled: z.boolean(),
    minLength: z.number().int().nonnegative().nullable(),
    requireLowercase: z.boolean().nullable(),
    requireUppercase: z.boolean().nullable(),
    requireNumber: z.boolean().nullable(),
    requireSpecial: z.boolean().nullable(),
  }),
});
const rateLimitBody = z.strictObject({
  perMinute: z.union([z.number().int().positive(), z.literal(false)]),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, `Invalid control request: ${z.prettifyError(r.error)}`);
  return r.data;
}

const CONTROL_ROUTES: ReadonlyArray<{ method: string; pattern: string; handler: ControlHandler }> =
  [
    {
      method: "GET",
      pattern: "/__emulator/info",
      handler: (rt) => ({
        deployment_id: rt.deploymentId,
        rate_limit_per_minute: rt.state.rateLimiter.perWindow,
        auth_settings: rt.state.authSettings,
        search_index_lag_ms: rt.state.store.searchIndexLagMs,
      }),
    },
    {
      method: "GET",
      pattern: "/__emulator/requests",
      handler: (rt) => ({ requests: rt.state.log.list() }),
    },
    {
      method: "DELETE",
      pattern: "/__emulator/requests",
      handler: (rt) => {
        rt.state.log.clear();
        return {};
      },
    },
    { method: "GET", pattern: "/__emulator/faults", handler: (rt) => rt.state.faults.state() },
    {
      method: "POST",
      pattern: "/__emulator/faults",
      handler: (rt, _p, body) => {
        const req = parse(faultsBody, body);
        if ("probability" in req) rt.state.faults.setProbability(req.probability);
        else for (const rule of Array.isArray(req) ? req : [req]) rt.state.faults.enqueue(rule);
        return rt.state.faults.state();
      },
    },
    {
      method: "DELETE",
      pattern: "/__emulator/faults",
      handler: (rt) => {
        rt.state.faults.clear();
        return rt.state.faults.state();
      },
    },
    {
      method: "POST",
      pattern: "/__emulator/reset",
      handler: (rt) => {
        rt.reset();
        return {};
      },
    },
    { method: "GET", pattern: "/__emulator/users", handler: (rt) => ({ users: rt.dumpUsers() }) },
    {
      method: "POST",
      pattern: "/__emulator/users",
      handler: (rt, _p, body) => {
        const users = Array.isArray(body)
          ? parse(seedFileSchema, body)
          : [parse(seedUserSchema, body)];
        return { users: rt.seedUsers(users) };
      },
    },
    {
      method: "GET",
      pattern: "/__emulator/users/{id}",
      handler: (rt, p) => found(rt.dumpUser(p.id ?? "")),
    },
    {
      method: "PATCH",
      pattern: "/__emulator/users/{id}",
      handler: (rt, p, body) => found(rt.patchUser(p.id ?? "", parse(userPatchBody, body))),
    },
    {
      method: "GET",
      pattern: "/__emulator/organizations",
      handler: (rt) => ({ organizations: rt.dumpOrganizations() }),
    },
    {
      method: "POST",
      pattern: "/__emulator/organizations",
      handler: (rt, _p, body) => {
        const orgs = Array.isArray(body)
          ? parse(seedOrganizationsSchema, body)
          : [parse(seedOrganizationSchema, body)];
        try {
          return { organizations: rt.seedOrganizations(orgs) };
        } catch (err) {
          throw new ApiError(400, `Invalid control request: ${String(err)}`);
        }
      },
    },
    { method: "GET", pattern: "/__emulator/auth-settings", handler: (rt) => rt.state.authSettings },
    {
      method: "PATCH",
      pattern: "/__emulator/auth-settings",
      handler: (rt, _p, body) => rt.setAuthSettings(parse(authSettingsBody, body)),
    },
    {
      method: "PUT",
      pattern: "/__emulator/rate-limit",
      handler: (rt, _p, body) => {
        rt.state.rateLimiter.setLimit(parse(rateLimitBody, body).perMinute);
        return { perMinute: rt.state.rateLimiter.perWindow };
      },
    },
  ];

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
