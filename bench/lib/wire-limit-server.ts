// The wire-limit server (issue 13 §2–3): a separate process that answers every PATCH /users/{id}
// with one canned UserDetails JSON (the id spliced in, so the client's same-user check holds), and
// does nothing else: no parsing, no validation, no state. Its own CPU per request is reported by
// the bench, so a reader can see the server is not what limits the client. Prints its port.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A realistic UserDetails (one email, one social connection with its tokens), id left open. */
function details(): Record<string, unknown> {
  const ts = "2026-06-20T10:11:12.123456Z";
  return {
    id: "__ID__",
    created_at: ts,
    updated_at: ts,
    first_name: "Bench",
    last_name: "Runner",
    username: "bench_runner",
    profile_picture_url: "",
    schema_version: "v1",
    disabled: false,
    second_factor_policy: "optional",
    availability: "away",
    last_password_reset_at: null,
    active_organization_membership_id: null,
    active_workspace_membership_id: null,
    deployment_id: "42",
    public_metadata: { team: "bench", tier: "gold" },
    private_metadata: {},
    primary_email_address_id: "7",
    primary_email_address: "bench@example.com",
    primary_phone_number_id: null,
    primary_phone_number: null,
    email_addresses: [
      {
        id: "7",
        created_at: ts,
        updated_at: ts,
        deployment_id: "42",
        user_id: "__ID__",
        email: "bench@example.com",
        is_primary: true,
        verified: true,
        verified_at: ts,
        verification_strategy: "otp",
      },
    ],
    phone_numbers: [],
    social_connections: [
      {
        id: "9",
        created_at: ts,
        updated_at: ts,
        user_id: "__ID__",
        user_email_address_id: "7",
        provider: "github_oauth",
        email_address: "bench@example.com",
        access_token: "gho_ACCESS_TOKEN_VALUE",
        refresh_token: "ghr_REFRESH_TOKEN_VALUE",
      },
    ],
    segments: [],
    has_password: true,
    has_backup_codes: false,
  };
}

const pieces = JSON.stringify(details()).split("__ID__");
const NOT_FOUND = Buffer.from('{"errors":[{"message":"Resource not found","code":404}]}');

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const url = req.url ?? "";
    const id = url.startsWith("/users/") ? url.slice(7) : "";
    if (req.method !== "PATCH" || !/^\d{1,19}$/.test(id)) {
      res.writeHead(404, {
        "content-type": "application/json",
        "content-length": NOT_FOUND.length,
      });
      res.end(NOT_FOUND);
      return;
    }
    const body = pieces.join(id);
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
