// API-key authentication of the deployment middleware (docs/wacht-api.md §1): the exact, case-sensitive
// `Bearer ` prefix (else 401 `Authorization header must be Bearer token`), then the key check
// (else 401 `Authentication failed`) which also tells which deployment the request is for.

export interface KeyConfig {
  /** Key → deployment id. Empty: any non-empty token is accepted for `defaultDeploymentId`. */
  keys: ReadonlyMap<string, string>;
  defaultDeploymentId: string;
  /** Also apply the gateway's format rule: ≥ 46 chars, last 43 base64url. */
  enforceKeyFormat: boolean;
}

export type AuthResult = { ok: true; deploymentId: string } | { ok: false; message: string };

export function authenticate(header: string | undefined, config: KeyConfig): AuthResult {
  if (header === undefined || !header.startsWith("Bearer ")) {
    return { ok: false, message: "Authorization header must be Bearer token" };
  }
  const token = header.slice("Bearer ".length);
  const failed: AuthResult = { ok: false, message: "Authentication failed" };
  if (token === "") return failed;
  if (config.enforceKeyFormat && (token.length < 46 || !/[A-Za-z0-9_-]{43}$/.test(token))) {
    return failed;
  }
  if (config.keys.size === 0) return { ok: true, deploymentId: config.defaultDeploymentId };
  const deploymentId = config.keys.get(token);
  return deploymentId === undefined ? failed : { ok: true, deploymentId };
}
