// Shared types between the server, the route table and the handlers: the emulator's mutable
// state and the per-request context a handler receives.
import type { AuthSettings } from "./auth-settings";
import type { FaultInjector } from "./faults";
import type { MultipartPart } from "./multipart";
import type { RateLimiter } from "./rate-limit";
import type { RequestLog } from "./request-log";
import type { UserStore } from "./store";

export interface EmulatorState {
  store: UserStore;
  authSettings: AuthSettings;
  faults: FaultInjector;
  log: RequestLog;
  rateLimiter: RateLimiter;
  /** Optional 409 `Resource already exists` checks (off by default, like the real app). */
  uniqueUsernames: boolean;
  uniqueEmails: boolean;
}

export interface RequestContext {
  method: string;
  path: string;
  /** Raw path parameters by name (`user_id`, `email_id`, …), not yet validated. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
  /** The body exceeded 2 MiB (and was discarded). */
  bodyTooLarge: boolean;
  /** The deployment the API key belongs to. */
  deploymentId: string;
  /** The multipart parts (parsed once; rejects with the right `ApiError`). */
  multipart(): Promise<MultipartPart[]>;
  /** Consumes an injected `imageUploadFailure` fault for this request, if one matches. */
  imageUploadFails(): boolean;
}

/** A successful handler result: always JSON. */
export interface HandlerResult {
  status: number;
  body: object;
}

/** A route handler. Throws `ApiError` for error responses. */
export type Handler = (state: EmulatorState, ctx: RequestContext) => Promise<HandlerResult>;
