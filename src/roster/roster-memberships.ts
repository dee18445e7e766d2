// The memberships a roster file declares for its account (issue #22 part 6, ADR 0017):
//
//   organizations: { "540000000000000001": [Admin] }
//   workspaces: { "540000000000000011": [Member] }
//
// Each key is an organization (workspace) id, each value the role NAMES the membership must hold,
// exhaustively, as `wacht.OrganizationMembership.roles` takes them (names, resolved at preview).
// Read from the document's nodes, not from its JS value: an unquoted id is a YAML number that
// loses digits, so the id is taken from the text as written. No Pulumi import.
import { isMap, isScalar, isSeq, type LineCounter } from "yaml";
import { canonicalUserId, isUserId } from "../schema/user-id";
import { keyAsWritten, nodePosition } from "./yaml-nodes";

/** The roster keys that declare memberships, with the word their messages use. */
export const MEMBERSHIP_KEYS = { organizations: "organization", workspaces: "workspace" } as const;
export type MembershipKey = keyof typeof MEMBERSHIP_KEYS;

/** Role names by parent id (canonical decimal ids; names in the order written, unique). */
export type RoleNamesById = Record<string, string[]>;

/** The memberships of one roster entry; a key the file does not give is absent. */
export type RosterMemberships = Partial<Record<MembershipKey, RoleNamesById>>;

/** A problem at a 1-based position (the file is added by the caller). */
export interface PositionedProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Parses the value node of `organizations` or `workspaces` (`keyPos` is where the key is written).
 * Returns the role names by canonical id, or the problems: a value that is not a mapping, an id
 * that is not a Wacht id, an id given twice ("042" and "42" are one), a value that is not a list
 * of role names, an empty list, a role named twice.
 */
export function parseMembershipsNode(
  key: MembershipKey,
  node: unknown,
  lines: LineCounter,
  keyPos: { line: number; column: number },
): { value: RoleNamesById; problems: PositionedProblem[] } {
  const label = MEMBERSHIP_KEYS[key];
  const problems: PositionedProblem[] = [];
  const value: RoleNamesById = {};
  const example = `${key}: { "${key === "organizations" ? "540000000000000001" : "540000000000000011"}": [${key === "organizations" ? "Admin" : "Member"}] }`;
  if (!isMap(node)) {
    problems.push({
      ...(nodePosition(lines, node) ?? keyPos),
      message: `${key} must be a mapping of ${label} id to role names, e.g. ${example}`,
    });
    return { value, problems };
  }
  const firstAt = new Map<string, { line: number; column: number }>();
  for (const pair of node.items) {
    const at = nodePosition(lines, pair.key) ?? keyPos;
    const keyNode = pair.key;
    // The text as written: a plain 18-digit id is a YAML number whose value lost digits.
    const written = isScalar(keyNode) ? keyAsWritten(keyNode) : JSON.stringify(keyNode);
    if (!isScalar(keyNode) || !isUserId(written)) {
      problems.push({
        ...at,
        message: `${key}: ${JSON.stringify(written)} is not ${label === "organization" ? "an" : "a"} ${label} id: give the ${label}'s Wacht id, a decimal int64 such as "540000000000000001"`,
      });
      continue;
    }
    const id = canonicalUserId(written);
    const first = firstAt.get(id);
    if (first !== undefined) {
      problems.push({
        ...at,
        message: `${key}: ${label} ${id} is already given at line ${first.line}, column ${first.column}: list each ${label} once, with all its roles`,
      });
      continue;
    }
    firstAt.set(id, at);
    const rolesAt = nodePosition(lines, pair.value) ?? at;
    const listMessage = `${key}.${id} must be a list of role names, e.g. [${label === "organization" ? "Admin" : "Member"}]`;
    if (!isSeq(pair.value)) {
      problems.push({ ...rolesAt, message: listMessage });
      continue;
    }
    if (pair.value.items.length === 0) {
      problems.push({
        ...rolesAt,
        message: `${key}.${id} lists no role: give at least one role name, e.g. [Member] (the list is the membership's whole role set)`,
      });
      continue;
    }
    const names: string[] = [];
    for (const item of pair.value.items) {
      const itemAt = nodePosition(lines, item) ?? rolesAt;
      if (!isScalar(item) || typeof item.value !== "string" || item.value.trim() === "") {
        problems.push({
          ...itemAt,
          message: `${key}.${id}: a role is named by a non-empty string, e.g. Admin`,
        });
        continue;
      }
      if (names.includes(item.value)) {
        problems.push({ ...itemAt, message: `${key}.${id} names the role ${item.value} twice` });
        continue;
      }
      names.push(item.value);
    }
    value[id] = names;
  }
  return { value, problems };
}
