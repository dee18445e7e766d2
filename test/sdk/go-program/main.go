// A Go user's program through the Automation API (inline), with the generated SDK (sdk/go, by a
// replace directive in go.mod). Run by test/e2e/sdk-languages.test.ts: the CLI is the `pulumi`
// on PATH; PULUMI_HOME holds the plugin installed with `pulumi plugin install resource wacht
// <version> --file <tarball>`, and the project names no plugin path. Prints one JSON line for the
// test to assert on.
//
// Environment: FLOW_BACKEND (file://…), FLOW_API_KEY, FLOW_BASE_URL, FLOW_SEED_EMAIL.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/wacht/pulumi-wacht/sdk/go/wacht"
)

func program(ctx *pulumi.Context) error {
	user, err := wacht.NewUser(ctx, "go-user", &wacht.UserArgs{
		FirstName:       pulumi.String("Go"),
		LastName:        pulumi.String("Pher"),
		EmailAddress:    pulumi.String("go.pher@example.com"),
		Password:        pulumi.String("Go-pher-Secret-2026!"),
		PrivateMetadata: pulumi.Map{"team": pulumi.String("go")},
	})
	if err != nil {
		return err
	}
	// A plain invoke (resolved during the program) and an output invoke (after the create).
	seedEmail := os.Getenv("FLOW_SEED_EMAIL")
	seeded, err := wacht.LookupUser(ctx, &wacht.LookupUserArgs{Email: &seedEmail})
	if err != nil {
		return err
	}
	lookedUp := wacht.LookupUserOutput(ctx, wacht.LookupUserOutputArgs{UserId: user.UserId})
	ctx.Export("userId", user.UserId)
	ctx.Export("seedUserId", pulumi.String(seeded.UserId))
	ctx.Export("seedFirstName", pulumi.String(seeded.FirstName))
	ctx.Export("lookedUpEmail", lookedUp.Email())
	ctx.Export("lookedUpFirstName", lookedUp.FirstName())
	return nil
}

func counts(changes *map[string]int) map[string]int {
	if changes == nil {
		return map[string]int{}
	}
	return *changes
}

func run() error {
	ctx := context.Background()
	project := workspace.Project{
		Name:    "wacht-go",
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: os.Getenv("FLOW_BACKEND")},
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "wacht-go", program, auto.Project(project))
	if err != nil {
		return err
	}
	if err := stack.SetConfig(ctx, "wacht:apiKey", auto.ConfigValue{Value: os.Getenv("FLOW_API_KEY"), Secret: true}); err != nil {
		return err
	}
	if err := stack.SetConfig(ctx, "wacht:baseUrl", auto.ConfigValue{Value: os.Getenv("FLOW_BASE_URL")}); err != nil {
		return err
	}
	up, err := stack.Up(ctx)
	if err != nil {
		return fmt.Errorf("up: %w", err)
	}
	preview, err := stack.Preview(ctx, optpreview.ExpectNoChanges())
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	destroy, err := stack.Destroy(ctx)
	if err != nil {
		return fmt.Errorf("destroy: %w", err)
	}
	outputs := map[string]any{}
	for k, v := range up.Outputs {
		outputs[k] = v.Value
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"outputs": outputs,
		"up":      counts(up.Summary.ResourceChanges),
		"preview": preview.ChangeSummary,
		"destroy": counts(destroy.Summary.ResourceChanges),
	})
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
