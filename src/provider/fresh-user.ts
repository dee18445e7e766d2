// The user a POST /users just created, as the details read would show it, without reading it:
// the POST answer (id, timestamps, names, primary email and phone) plus the values Wacht gives
// every new row (docs/wacht-api.md §4: not disabled, second factor "optional", empty metadata, no
// picture, a given email or phone stored verified). Create plans its one PATCH against this
// presumed user, and that PATCH's answer (or a GET when there is nothing to PATCH) is the real
// read that goes into the state: a wrong presumption costs at most a field sent needlessly or
// left for the next `up`'s diff, never a wrong state.
import type { UserCreate } from "../client/user-params";
import type { ApiUserDetails, ApiUserSummary } from "../schema/wire";

/** The details of the user `created` by a POST of `fields`, as Wacht stores a new row. */
export function presumedDetails(created: ApiUserSummary, fields: UserCreate): ApiUserDetails {
  const at = created.created_at;
  const phone = created.primary_phone_number ?? null;
  return {
    id: created.id,
    created_at: at,
    updated_at: created.updated_at,
    first_name: created.first_name,
    last_name: created.last_name,
    username: created.username === "" ? null : created.username,
    profile_picture_url: "",
    schema_version: "v1",
    disabled: false,
    second_factor_policy: "optional",
    availability: "away",
    last_password_reset_at: null,
    active_organization_membership_id: null,
    active_workspace_membership_id: null,
    deployment_id: "0",
    public_metadata: {},
    private_metadata: {},
    primary_email_address_id: null,
    primary_email_address: created.primary_email_address ?? null,
    primary_phone_number_id: null,
    primary_phone_number: phone,
    email_addresses: [],
    // A phone given to POST is stored verified: it counts as a second factor (guard-rails.ts).
    phone_numbers:
      phone === null
        ? []
        : [
            {
              id: "0",
              created_at: at,
              updated_at: at,
              user_id: created.id,
              phone_number: phone,
              country_code: null,
              verified: true,
              verified_at: at,
            },
          ],
    social_connections: [],
    segments: [],
    has_password: typeof fields.password === "string" && fields.password.trim() !== "",
    has_backup_codes: false,
  };
}
