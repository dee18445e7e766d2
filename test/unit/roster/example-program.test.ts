// examples/gitops/index.ts runs under pulumi.runtime mocks: it declares one wacht.User per
// roster file and one wacht.UserCensus fed with their ids and the stack config.
import { captureRegistration } from "../../helpers/capture";

jest.setTimeout(30_000);

it("declares the three example accounts and the census", async () => {
  const captured = await captureRegistration(
    () => {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("../../../examples/gitops/index");
      });
    },
    {
      project: "wacht-gitops",
      config: {
        "wacht-gitops:adaPassword": "Correct-horse-1",
        "wacht-gitops:undeclared": "disable",
      },
      secretKeys: ["wacht-gitops:adaPassword"],
    },
  );
  const summary = captured.map((c) => `${c.type.split("/").pop()} ${c.name}`).sort();
  expect(summary).toEqual([
    "wacht:User ada",
    "wacht:User deploy-bot",
    "wacht:User grace",
    "wacht:UserCensus admin-census",
  ]);
  const census = captured.find((c) => c.name === "admin-census")!;
  expect(census.inputs).toMatchObject({
    selector: { publicMetadata: { key: "kind", in: ["admin", "service"] } },
    allowlist: [],
    undeclared: "disable",
  });
  // One entry per roster user, under the internal input no plan prints. The mocks echo inputs as
  // state and these users are created (no userId input), so the ids are empty here; in a real
  // run they are the created users' ids.
  expect(census.inputs["__declaredUserIds"]).toEqual([null, null, null]);
  expect(census.inputs).not.toHaveProperty("declaredUserIds");
  expect(captured.find((c) => c.name === "ada")!.secretInputs).toContain("password");
  // Offboarding: deleting any of the files disables its account, never deletes it.
  const onDelete = captured
    .filter((c) => c.name !== "admin-census")
    .map((c) => c.inputs["onDelete"]);
  expect(onDelete).toEqual(["disable", "disable", "disable"]);
});
