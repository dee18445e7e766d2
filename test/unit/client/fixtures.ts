// Wire fixtures for client unit tests: a UserDetails / UserWithIdentifiers as the real server sends them
// (docs/wacht-api.md §5), including the decrypted social tokens the client must drop.

export const API_KEY = "sk_test_SECRETSECRETSECRETSECRETSECRETSECRET123";
export const ORIGIN = "https://api.wacht.test";

export function userDetails(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "123456789012345678",
    created_at: "2026-06-20T10:11:12.123456Z",
    updated_at: "2026-06-20T10:11:12.123456Z",
    first_name: "Ada",
    last_name: "Lovelace",
    username: null,
    profile_picture_url: "",
    schema_version: "v1",
    disabled: false,
    second_factor_policy: "optional",
    availability: "away",
    last_password_reset_at: null,
    active_organization_membership_id: null,
    active_workspace_membership_id: null,
    deployment_id: "42",
    public_metadata: { team: "core" },
    private_metadata: {},
    primary_email_address_id: "7",
    primary_email_address: "ada@example.com",
    primary_phone_number_id: null,
    primary_phone_number: null,
    email_addresses: [
      {
        id: "7",
        created_at: "2026-06-20T10:11:12.123456Z",
        updated_at: "2026-06-20T10:11:12.123456Z",
        deployment_id: "42",
        user_id: "123456789012345678",
        email: "ada@example.com",
        is_primary: true,
        verified: true,
        verified_at: "2026-06-20T10:11:12.123456Z",
        verification_strategy: "otp",
      },
    ],
    phone_numbers: [],
    social_connections: [
      {
        id: "9",
        created_at: "2026-06-20T10:11:12.123456Z",
        updated_at: "2026-06-20T10:11:12.123456Z",
        user_id: "123456789012345678",
        user_email_address_id: "7",
        provider: "github_oauth",
        email_address: "ada@example.com",
        access_token: "gho_ACCESS_TOKEN_VALUE",
        refresh_token: "ghr_REFRESH_TOKEN_VALUE",
      },
    ],
    segments: [],
    has_password: true,
    has_backup_codes: false,
    ...overrides,
  };
}

export function userSummary(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "123456789012345678",
    created_at: "2026-06-20T10:11:12.123456789Z",
    updated_at: "2026-06-20T10:11:12.123456789Z",
    first_name: "Ada",
    last_name: "Lovelace",
    username: null,
    profile_picture_url: "",
    primary_email_address: "ada@example.com",
    primary_phone_number: null,
    ...overrides,
  };
}

export function errorBody(status: number, message: string): Record<string, unknown> {
  return { errors: [{ message, code: status }] };
}

/** Minimal valid images (magic bytes + filler). */
export const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3,
]);
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
export const GIF = Buffer.from("GIF89a\x01\x00\x01\x00", "latin1");
export const WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0x10, 0, 0, 0]),
  Buffer.from("WEBPVP8 "),
]);
export const ICO = Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0]);
export const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
export const BMP = Buffer.from([0x42, 0x4d, 0x3a, 0, 0, 0]);
