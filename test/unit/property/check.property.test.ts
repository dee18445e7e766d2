// Issue #7 §2, hostile declarations: property-based tests (fast-check, fixed seed) of `check` —
// both the pure checkUser and WachtUserProvider.check with a configured key. Arbitrary
// declarations with wrong types, huge strings, deep and huge metadata, unicode and NUL bytes,
// unknown and prototype-polluting keys, and ids shaped like paths or queries. Invariants: check
// never throws, never opens a socket, every failure names a property of the declaration (or a
// known wacht.User property it requires) with a non-empty reason, a rejected userId is refused
// by the client before any request, and no private value is echoed in a reason.
import net from "node:net";
import tls from "node:tls";
import fc from "fast-check";
import { checkUser } from "../../../src/provider/check-user";
import { WachtUserProvider } from "../../../src/provider/user-provider";
import { WachtClient } from "../../../src/client/wacht-client";
import { isWachtError } from "../../../src/client/errors";
import { byProperty } from "../../helpers/check-failures";

const SEED = 7_077;
const limits = { usernameMinLength: 3, usernameMaxLength: 30 };
/** Every property a wacht.User declaration may have (a failure may name a missing one). */
const KNOWN = new Set([
  "userId",
  "adopt",
  "emailAddress",
  "phoneNumber",
  "password",
  "passwordVersion",
  "skipPasswordCheck",
  "metadataOwnership",
  "publicMetadataSchema",
  "privateMetadataSchema",
  "onConflict",
  "allowLockout",
  "firstName",
  "lastName",
  "username",
  "disabled",
  "secondFactorPolicy",
  "publicMetadata",
  "privateMetadata",
  "profileImage",
  "removeProfileImage",
  "onDelete",
]);

/** Reads nothing from disk and remembers nothing: an image path is simply "not found". */
const reads: string[] = [];
const read = (p: string): Buffer => {
  reads.push(p);
  throw Object.assign(new Error("no file in property tests"), { code: "ENOENT" });
};

let connects = 0;
beforeAll(() => {
  const count = () => {
    connects++;
    throw new Error("network is not allowed in check");
  };
  jest.spyOn(net, "connect").mockImplementation(count);
  jest.spyOn(net, "createConnection").mockImplementation(count);
  jest.spyOn(tls, "connect").mockImplementation(count);
  jest.spyOn(globalThis, "fetch").mockImplementation(count);
});
afterAll(() => jest.restoreAllMocks());

// ---------- arbitraries ----------

const HOSTILE_IDS = [
  "../1",
  "1?x=2",
  "1/password",
  "%2e%2e",
  "%2e%2e%2f1",
  "1#frag",
  "1 ",
  " 1",
  "-1",
  "+1",
  "0",
  "00",
  "1e3",
  "0x10",
  "９",
  "1\u0000",
  "\u0000",
  "9223372036854775808",
  "99999999999999999999",
  "1/../../admin",
  "..%2f1",
  "1;DROP TABLE users",
  "",
];

const weird = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("\u0000", "a\u0000b", "\uD800", "\uFFFF", "‮evil", "👩‍👩‍👧", " ", "\n"),
);
const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom("a", "é", "𝄞", "\u0000"))
  .map(([n, c]) => c.repeat(n));

/** Values of every JSON (and some non-JSON) type. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: "small" },
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -0, 1e308),
  weird,
  fc.constantFrom(...HOSTILE_IDS),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(weird, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const hostileKeys = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "__provider",
  "profileImageSha256",
  "passwordHandle",
  "id",
  "urn",
  "userid",
  "UserId",
  "first_name",
  "password ",
  "\u0000",
);

/** Declarations: a known key with a value of any type, plus unknown and hostile keys. */
const declaration = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...KNOWN), anyValue, { maxKeys: 8 }),
    // "" is covered by its own test below (a reported bug); here every key is non-empty.
    fc.dictionary(
      fc.oneof(weird, hostileKeys).filter((k) => k !== ""),
      anyValue,
      { maxKeys: 3 },
    ),
  )
  .map(([known, extra]) => {
    const out: Record<string, unknown> = {};
    // Object.defineProperty so "__proto__" becomes an own key, as JSON.parse would make it.
    for (const [k, v] of Object.entries({ ...extra, ...known })) {
      Object.defineProperty(out, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  });

function deep(depth: number): unknown {
  let v: unknown = { leaf: "x" };
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { d: v } : [v];
  return v;
}

// ---------- invariants ----------

function topKey(property: string): string {
  return property.split(".")[0] ?? "";
}

/**
 * `named`: checkUser's own failures name the property. `engine`: what the provider hands the
 * engine names no property (the CLI would print its value, maybe a secret) and the reason starts
 * with the property's path instead.
 */
function assertCheckResult(
  news: Record<string, unknown>,
  result: unknown,
  form: "named" | "engine" = "named",
): void {
  const { inputs, failures } = result as {
    inputs: Record<string, unknown>;
    failures: { property: string; reason: string }[];
  };
  expect(Array.isArray(failures)).toBe(true);
  expect(inputs).toBeDefined();
  for (const f of failures) {
    expect(typeof f.property).toBe("string");
    expect(typeof f.reason).toBe("string");
    expect(f.reason.trim().length).toBeGreaterThan(0);
    const subject = form === "named" ? f.property : byProperty([f])[0]!.property;
    expect(subject.length).toBeGreaterThan(0);
    const key = topKey(subject);
    const named = Object.prototype.hasOwnProperty.call(news, key) || KNOWN.has(key);
    if (!named)
      throw new Error(`failure names no property of the declaration: ${JSON.stringify(f)}`);
  }
  // Nothing we compute may be smuggled in by the declaration.
  if (failures.length > 0) expect(inputs["passwordHandle"]).toBeUndefined();
  expect(inputs["__provider"]).toBeUndefined();
  // A password never reaches the inputs (it would be stored in state).
  expect(Object.prototype.hasOwnProperty.call(inputs, "password")).toBe(false);
}

describe("checkUser on arbitrary declarations", () => {
  it("never throws; every failure names a property and says why; no socket, no disk", () => {
    fc.assert(
      fc.property(declaration, (news) => {
        let result: unknown;
        expect(() => (result = checkUser(news, limits, { read }))).not.toThrow();
        assertCheckResult(news, result);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(connects).toBe(0);
  });

  it("rejects every id shaped like a path, query or out-of-range number, naming userId", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...HOSTILE_IDS),
          fc.stringMatching(/^[0-9]{0,3}[/?#%.&=; \u0000][^\n]{0,12}$/),
        ),
        (userId) => {
          const { failures } = checkUser({ userId, firstName: "Ada" }, limits, { read });
          const f = failures.find((x) => x.property === "userId");
          if (f === undefined) throw new Error(`userId ${JSON.stringify(userId)} was accepted`);
          expect(f.reason).toMatch(/userId/);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("a rejected userId never reaches a request: the client refuses it before any socket", async () => {
    // "0" and "00" are valid int64 path segments for the client (the server answers 404); check
    // rejects them because ids are positive. Everything else must be refused locally.
    const pathUnsafe = HOSTILE_IDS.filter((id) => id !== "0" && id !== "00");
    const client = new WachtClient({
      apiKey: "sk_property",
      baseUrl: "http://127.0.0.1:9",
      maxRetries: 0,
    });
    for (const id of pathUnsafe) {
      for (const call of [
        () => client.users.get(id),
        () => client.users.update(id, { firstName: "x" }),
        () => client.users.delete(id),
        () => client.users.setPassword(id, "Aa1!aaaaaa"),
      ]) {
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isWachtError(err)).toBe(true);
        expect((err as { kind: string }).kind).toBe("validation");
      }
    }
    expect(connects).toBe(0);
  });

  it("huge strings in every string field are handled without throwing", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "firstName",
          "lastName",
          "username",
          "emailAddress",
          "phoneNumber",
          "password",
          "userId",
          "profileImage",
        ),
        hugeString,
        (field, value) => {
          const news = { userId: "100000000000000001", [field]: value };
          assertCheckResult(news, checkUser(news, limits, { read }));
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });

  it("deep metadata (depth 50 … 1000) never throws", () => {
    for (const depth of [50, 64, 200, 1000]) {
      for (const field of ["publicMetadata", "privateMetadata"]) {
        const news = { userId: "100000000000000001", [field]: deep(depth) };
        let result: unknown;
        expect(() => (result = checkUser(news, limits, { read }))).not.toThrow();
        assertCheckResult(news, result);
      }
    }
  });

  // BUG (reported): zod's recursive z.json() overflows the stack around depth 1500-2000, so
  // check throws RangeError instead of returning a failure that names the field.
  it("very deep metadata (depth 3000, 10000) is a failure naming the field, not a crash", () => {
    for (const depth of [3_000, 10_000]) {
      for (const field of ["publicMetadata", "privateMetadata"]) {
        const news = { userId: "100000000000000001", [field]: deep(depth) };
        let result: { failures: { property: string }[] } | undefined;
        let thrown: unknown;
        try {
          result = checkUser(news, limits, { read });
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeUndefined();
        expect(result?.failures.map((f) => topKey(f.property))).toContain(field);
      }
    }
  });

  // BUG (reported): an unknown key "" yields a failure whose property is "" (names nothing).
  it("an unknown empty key is rejected with a non-empty property", () => {
    const { failures } = checkUser({ userId: "100000000000000001", "": "x" }, limits, { read });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).not.toBe("");
  });

  // BUG (reported): toCheckFailures drops issue.path for unrecognized keys, so an unknown key
  // inside adopt is reported as a top-level property that does not exist.
  it("an unknown key inside adopt is named with its path (adopt.<key>)", () => {
    const { failures } = checkUser({ adopt: { email: "a@example.com", emial: "typo" } }, limits, {
      read,
    });
    expect(failures.map((f) => f.property)).toEqual(["adopt.emial"]);
  });

  it("huge metadata (~3 MB of JSON) is rejected by size, naming the field, without echoing it", () => {
    const secretish = "PRIVATE-VALUE-" + "z".repeat(20);
    const big: Record<string, string> = {};
    for (let i = 0; i < 3_000; i++) big[`k${i}`] = secretish + "x".repeat(1_000);
    for (const field of ["publicMetadata", "privateMetadata"]) {
      const { failures } = checkUser({ userId: "100000000000000001", [field]: big }, limits, {
        read,
      });
      const f = failures.find((x) => x.property === field);
      expect(f?.reason).toMatch(/2 MiB/);
      expect(JSON.stringify(failures)).not.toContain(secretish);
    }
  });

  it("private values (metadata, password) never appear in a failure reason", () => {
    const marker = "S3cret-Marker-Value-9f1e";
    fc.assert(
      fc.property(declaration, (news) => {
        const withSecrets = {
          ...news,
          privateMetadata: { token: marker, extra: news["privateMetadata"] ?? null },
          password: marker,
        };
        const { failures } = checkUser(withSecrets, limits, { read });
        expect(JSON.stringify(failures)).not.toContain(marker);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("WachtUserProvider.check (configured with a key) on arbitrary declarations", () => {
  const KEY = "sk_property_provider_key_000000000000000000000";
  let provider: WachtUserProvider;

  beforeAll(async () => {
    provider = new WachtUserProvider();
    const values: Record<string, string> = {
      "wacht:apiKey": KEY,
      "wacht:baseUrl": "http://127.0.0.1:9",
      "wacht:maxRetries": "0",
    };
    await provider.configure({
      config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
    });
  });

  it("never rejects, never makes a request, names the property of every failure in its reason", async () => {
    await fc.assert(
      fc.asyncProperty(declaration, async (news) => {
        // Image paths would be read from disk: point them at a path that cannot exist.
        if (typeof news["profileImage"] === "string") news["profileImage"] = "/nonexistent/\u0000";
        const result = await provider.check({}, news);
        assertCheckResult(
          news,
          { inputs: result.inputs, failures: result.failures ?? [] },
          "engine",
        );
        expect(JSON.stringify(result)).not.toContain(KEY);
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(connects).toBe(0);
  });

  it("even if the engine called create with a rejected userId, no request would be made", async () => {
    for (const userId of HOSTILE_IDS.filter((id) => id !== "0" && id !== "00" && id !== "")) {
      const err = await provider.create({ userId, firstName: "x", onDelete: "retain" }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(String((err as Error).message)).not.toContain(KEY);
    }
    expect(connects).toBe(0);
  });
});
