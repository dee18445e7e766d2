// The write-only password's trip from check to create/update inside one provider process: filed
// under the checked inputs, found again by the declaration the engine hands back (keys in any
// order, plus __provider), never by a different declaration, and never guessed when the same
// declaration came with two passwords.
import { PASSWORD_HELD, PasswordVault } from "../../../src/provider/password-vault";

const declared = {
  emailAddress: "ops@example.com",
  passwordVersion: "1",
  publicMetadata: { kind: "admin", tags: ["a", "b"] },
  onDelete: "delete",
};

describe("the password vault", () => {
  it("returns the constant marker, so a plan never shows a changing handle", () => {
    const vault = new PasswordVault();
    expect(vault.stash("Pw-1-Correct!", declared)).toBe(PASSWORD_HELD);
    expect(new PasswordVault().stash("Pw-2-Other!", { ...declared, onDelete: "retain" })).toBe(
      PASSWORD_HELD,
    );
  });

  it("finds the password by the declaration as the engine hands it back", () => {
    const vault = new PasswordVault();
    vault.stash("Pw-1-Correct!", declared);
    const back = {
      __provider: "exports.handler = ...",
      passwordHandle: PASSWORD_HELD,
      onDelete: "delete",
      publicMetadata: { tags: ["a", "b"], kind: "admin" },
      passwordVersion: "1",
      emailAddress: "ops@example.com",
    };
    expect(vault.find(back)).toEqual({ password: "Pw-1-Correct!" });
  });

  it("finds nothing for another declaration, or in another process", () => {
    const vault = new PasswordVault();
    vault.stash("Pw-1-Correct!", declared);
    expect(vault.find({ ...declared, passwordVersion: "2" })).toBeUndefined();
    expect(vault.find({ ...declared, publicMetadata: { kind: "admin", tags: ["b", "a"] } })).toBe(
      undefined,
    );
    expect(new PasswordVault().find(declared)).toBeUndefined();
  });

  it("the same declaration with two different passwords is ambiguous; with the same one it is not", () => {
    const same = new PasswordVault();
    same.stash("Pw-1-Correct!", declared);
    same.stash("Pw-1-Correct!", { ...declared });
    expect(same.find(declared)).toEqual({ password: "Pw-1-Correct!" });
    const twice = new PasswordVault();
    twice.stash("Pw-1-Correct!", declared);
    twice.stash("Pw-2-Other!", declared);
    expect(twice.find(declared)).toEqual({ ambiguous: true });
    twice.stash("Pw-1-Correct!", declared); // stays ambiguous
    expect(twice.find(declared)).toEqual({ ambiguous: true });
  });

  it("never prints a password", () => {
    const vault = new PasswordVault();
    vault.stash("Pw-1-Correct!", declared);
    expect(JSON.stringify({ vault })).not.toContain("Pw-1");
  });
});
