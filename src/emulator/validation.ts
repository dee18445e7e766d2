// User validation against the deployment's auth settings (docs/wacht-api.md §3, §4, §7), message for
// message: the create handler's first-stage checks (one message, first failure wins),
// `UserValidator`'s second stage, which collects `field: message` pairs into
// `Validation failed: a: x, b: y`, the password rules, and PATCH's `validate_update_user_request`.
import { z } from "zod";
import type { AuthSettings } from "./auth-settings";
import { ApiError } from "./errors";

/** An identifier part of the create form, trimmed; empty counts as absent. */
const identifier = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .optional();

/** The text parts POST /users reads (any other part is ignored) and what the handler makes of them. */
export const createRequestSchema = z.object({
  first_name: z.string().default(""),
  last_name: z.string().default(""),
  email_address: identifier,
  phone_number: identifier,
  username: identifier,
  password: identifier,
  skip_password_check: z
    .string()
    .optional()
    .transform((v) => v === "true"),
});
export type CreateRequest = z.output<typeof createRequestSchema>;

const EMAIL_RE = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;
const PHONE_RE = /^\+?[1-9]\d{1,14}$|^\+?[1-9][\d\s\-()]{7,20}$/;
/** What a password must contain, by setting: "Password must contain at least one …". */
const PASSWORD_CLASSES = [
  ["requireLowercase", /\p{Lowercase}/u, "lowercase letter"],
  ["requireUppercase", /\p{Uppercase}/u, "uppercase letter"],
  ["requireNumber", /\p{N}/u, "number"],
  ["requireSpecial", /[!@#$%^&*()_+\-=[\]{}|;:,.<>?]/, "special character"],
] as const;
const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/** First stage: the handler's own checks; throws the first failure as a bare 400 message. */
export function validateCreateFirstStage(req: CreateRequest, s: AuthSettings): void {
  const fail = (message: string): never => {
    throw new ApiError(400, message);
  };
  if (s.firstName.enabled && (s.firstName.required ?? true) && req.first_name.trim() === "") {
    fail("First name is required");
  }
  if (s.lastName.enabled && (s.lastName.required ?? true) && req.last_name.trim() === "") {
    fail("Last name is required");
  }
  if (s.emailAddress.enabled && s.emailAddress.required && req.email_address === undefined) {
    fail("Email address is required");
  }
  if (s.phoneNumber.enabled && s.phoneNumber.required && req.phone_number === undefined) {
    fail("Phone number is required");
  }
  if (s.username.enabled && s.username.required && req.username === undefined) {
    fail("Username is required");
  }
  if (s.password.enabled && !req.skip_password_check) {
    const min = s.password.minLength;
    if (req.password !== undefined) {
      if (min !== null && byteLength(req.password) < min) {
        fail(`Password must be at least ${min} characters`);
      }
    } else if ((min ?? 0) > 0) {
      fail("Password is required");
    }
  }
}

/** Second stage: `UserValidator::validate_user_creation`, all failures in one message. */
export function validateCreateSecondStage(req: CreateRequest, s: AuthSettings): void {
  const errors: string[] = [];
  if ((s.firstName.required ?? false) && req.first_name.trim() === "") {
    errors.push("first_name: First name is required");
  }
  if ((s.lastName.required ?? false) && req.last_name.trim() === "") {
    errors.push("last_name: Last name is required");
  }
  const email = req.email_address;
  if (email === undefined) {
    if (s.emailAddress.required) errors.push("email_address: Email address is required");
  } else if (!EMAIL_RE.test(email)) {
    errors.push("email_address: Invalid email format");
  }
  const phone = req.phone_number;
  if (phone === undefined) {
    if (s.phoneNumber.required) errors.push("phone_number: Phone number is required");
  } else if (!PHONE_RE.test(phone.replace(/[ \-()]/g, ""))) {
    errors.push("phone_number: Invalid phone number format");
  }
  if (req.username === undefined) {
    if (s.username.required) errors.push("username: Username is required");
  } else {
    errors.push(...usernameLengthErrors(req.username, s.username).map((e) => `username: ${e}`));
    if (!/^[\p{Alphabetic}\p{N}_-]*$/u.test(req.username)) {
      errors.push("username: Username can only contain letters, numbers, underscores, and hyphens");
    }
  }
  if (!req.skip_password_check) errors.push(...passwordErrors(req.password, s.password));
  throwIfAny(errors);
}

/** The password rules alone (PATCH /users/{id}/password). */
export function validatePassword(password: string, s: AuthSettings["password"]): void {
  throwIfAny(passwordErrors(password, s));
}

/** `validate_update_user_request` (PATCH /users/{id}): names and username, first failure wins. */
export function validateUpdate(text: ReadonlyMap<string, string>, s: AuthSettings): void {
  for (const [field, name, section] of [
    ["first_name", "First name", s.firstName],
    ["last_name", "Last name", s.lastName],
  ] as const) {
    const value = text.get(field);
    if (value?.trim() === "" && section.enabled && (section.required ?? true)) {
      throw new ApiError(400, `${name} cannot be empty`);
    }
  }
  const username = text.get("username");
  if (username !== undefined && s.username.enabled) {
    if (s.username.required && username.trim() === "") {
      throw new ApiError(400, "Username cannot be empty");
    }
    const [lengthError] = usernameLengthErrors(username.trim(), s.username);
    if (lengthError !== undefined) throw new ApiError(400, lengthError);
  }
}

function throwIfAny(errors: string[]): void {
  if (errors.length > 0) throw new ApiError(400, `Validation failed: ${errors.join(", ")}`);
}

/** The username length rules, in UTF-8 bytes (create collects them, PATCH throws the first). */
function usernameLengthErrors(username: string, s: AuthSettings["username"]): string[] {
  const len = byteLength(username);
  const errors: string[] = [];
  if (s.minLength !== null && len < s.minLength) {
    errors.push(`Username must be at least ${s.minLength} characters`);
  }
  if (s.maxLength !== null && len > s.maxLength) {
    errors.push(`Username must be at most ${s.maxLength} characters`);
  }
  return errors;
}

function passwordErrors(password: string | undefined, s: AuthSettings["password"]): string[] {
  if (!s.enabled) return [];
  if (password === undefined || password.trim() === "") return ["password: Password is required"];
  const errors: string[] = [];
  if (s.minLength !== null && byteLength(password) < s.minLength) {
    errors.push(`password: Password must be at least ${s.minLength} characters`);
  }
  for (const [setting, re, what] of PASSWORD_CLASSES) {
    if (s[setting] && !re.test(password)) {
      errors.push(`password: Password must contain at least one ${what}`);
    }
  }
  return errors;
}
