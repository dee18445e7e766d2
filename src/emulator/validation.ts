// Create-time and password validation (docs/wacht-api.md §4, §7), message for message: the handler's
// first-stage checks (one message, first failure wins) and `UserValidator`'s second stage, which
// collects `field: message` pairs into `Validation failed: a: x, b: y`.
import type { AuthSettings } from "./auth-settings";
import { ApiError } from "./errors";

/** The parsed create request (trimmed identifiers; empty counts as absent). */
export interface CreateRequest {
  firstName: string;
  lastName: string;
  email: string | undefined;
  phone: string | undefined;
  username: string | undefined;
  password: string | undefined;
  skipPasswordCheck: boolean;
}

interface FieldError {
  field: string;
  message: string;
}

const SPECIALS = "!@#$%^&*()_+-=[]{}|;:,.<>?";
const EMAIL_RE = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;
const PHONE_RE = /^\+?[1-9]\d{1,14}$|^\+?[1-9][\d\s\-()]{7,20}$/;
const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/** First stage: the handler's own checks; throws the first failure as a bare 400 message. */
export function validateCreateFirstStage(req: CreateRequest, s: AuthSettings): void {
  const fail = (message: string): never => {
    throw new ApiError(400, message);
  };
  if (s.firstName.enabled && (s.firstName.required ?? true) && req.firstName.trim() === "") {
    fail("First name is required");
  }
  if (s.lastName.enabled && (s.lastName.required ?? true) && req.lastName.trim() === "") {
    fail("Last name is required");
  }
  if (s.emailAddress.enabled && s.emailAddress.required && req.email === undefined) {
    fail("Email address is required");
  }
  if (s.phoneNumber.enabled && s.phoneNumber.required && req.phone === undefined) {
    fail("Phone number is required");
  }
  if (s.username.enabled && s.username.required && req.username === undefined) {
    fail("Username is required");
  }
  if (s.password.enabled && !req.skipPasswordCheck) {
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
  const errors: FieldError[] = [];
  if ((s.firstName.required ?? false) && req.firstName.trim() === "") {
    errors.push({ field: "first_name", message: "First name is required" });
  }
  if ((s.lastName.required ?? false) && req.lastName.trim() === "") {
    errors.push({ field: "last_name", message: "Last name is required" });
  }
  checkIdentifier(errors, "email_address", req.email, s.emailAddress.required, {
    missing: "Email address is required",
    invalid: "Invalid email format",
    valid: (v) => EMAIL_RE.test(v),
  });
  checkIdentifier(errors, "phone_number", req.phone, s.phoneNumber.required, {
    missing: "Phone number is required",
    invalid: "Invalid phone number format",
    valid: (v) => PHONE_RE.test(v.replace(/[ \-()]/g, "")),
  });
  if (s.username.required && (req.username === undefined || req.username.trim() === "")) {
    errors.push({ field: "username", message: "Username is required" });
  } else if (req.username !== undefined && req.username.trim() !== "") {
    usernameConstraints(errors, req.username, s.username);
  }
  if (!req.skipPasswordCheck) errors.push(...passwordErrors(req.password, s.password));
  throwIfAny(errors);
}

/** The password rules alone (PATCH /users/{id}/password). */
export function validatePassword(password: string, s: AuthSettings["password"]): void {
  throwIfAny(passwordErrors(password, s));
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join(", ");
    throw new ApiError(400, `Validation failed: ${detail}`);
  }
}

function checkIdentifier(
  errors: FieldError[],
  field: string,
  value: string | undefined,
  required: boolean,
  rule: { missing: string; invalid: string; valid: (v: string) => boolean },
): void {
  if (value === undefined || value.trim() === "") {
    if (required) errors.push({ field, message: rule.missing });
  } else if (!rule.valid(value)) {
    errors.push({ field, message: rule.invalid });
  }
}

function usernameConstraints(
  errors: FieldError[],
  username: string,
  s: AuthSettings["username"],
): void {
  const len = byteLength(username);
  if (s.minLength !== null && len < s.minLength) {
    errors.push({
      field: "username",
      message: `Username must be at least ${s.minLength} characters`,
    });
  }
  if (s.maxLength !== null && len > s.maxLength) {
    errors.push({
      field: "username",
      message: `Username must be at most ${s.maxLength} characters`,
    });
  }
  if (!/^[\p{Alphabetic}\p{N}_-]*$/u.test(username)) {
    errors.push({
      field: "username",
      message: "Username can only contain letters, numbers, underscores, and hyphens",
    });
  }
}

function passwordErrors(password: string | undefined, s: AuthSettings["password"]): FieldError[] {
  if (!s.enabled) return [];
  if (password === undefined || password.trim() === "") {
    return [{ field: "password", message: "Password is required" }];
  }
  const errors: FieldError[] = [];
  const add = (message: string): void => {
    errors.push({ field: "password", message });
  };
  if (s.minLength !== null && byteLength(password) < s.minLength) {
    add(`Password must be at least ${s.minLength} characters`);
  }
  if (s.requireLowercase && !/\p{Lowercase}/u.test(password)) {
    add("Password must contain at least one lowercase letter");
  }
  if (s.requireUppercase && !/\p{Uppercase}/u.test(password)) {
    add("Password must contain at least one uppercase letter");
  }
  if (s.requireNumber && !/\p{N}/u.test(password)) add("Password must contain at least one number");
  if (s.requireSpecial && ![...password].some((c) => SPECIALS.includes(c))) {
    add("Password must contain at least one special character");
  }
  return errors;
}
