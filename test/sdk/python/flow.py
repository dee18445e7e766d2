"""A Python user's program through the Automation API (inline), with the generated SDK.

Run by test/e2e/sdk-languages.test.ts in a venv holding `pulumi` from PyPI and `pulumi_wacht`
pip-installed from a copy of sdk/python. The CLI is the `pulumi` on PATH; PULUMI_HOME holds the
plugin installed with `pulumi plugin install resource wacht <version> --file <tarball>`, and the
project names no plugin path. Prints one JSON line for the test to assert on.

Environment: FLOW_BACKEND (file://…), FLOW_API_KEY, FLOW_BASE_URL, FLOW_SEED_EMAIL.
"""
import importlib.metadata
import json
import os
import sys

import pulumi
from pulumi import automation as auto

import pulumi_wacht as wacht


def program():
    user = wacht.User(
        "py-user",
        first_name="Py",
        last_name="Thon",
        email_address="py.thon@example.com",
        password="Py-thon-Secret-2026!",
        private_metadata={"team": "python"},
    )
    # A plain invoke (resolved during the program) and an output invoke (after the create).
    seeded = wacht.get_user(email=os.environ["FLOW_SEED_EMAIL"])
    looked_up = wacht.get_user_output(user_id=user.user_id)
    pulumi.export("userId", user.user_id)
    pulumi.export("seedUserId", seeded.user_id)
    pulumi.export("seedFirstName", seeded.first_name)
    pulumi.export("lookedUpEmail", looked_up.email)
    pulumi.export("lookedUpFirstName", looked_up.first_name)


def counts(summary):
    return {k: v for k, v in (summary.resource_changes or {}).items()}


def main():
    stack = auto.create_or_select_stack(
        stack_name="dev",
        project_name="wacht-python",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            project_settings=auto.ProjectSettings(
                name="wacht-python",
                runtime="python",
                backend=auto.ProjectBackend(url=os.environ["FLOW_BACKEND"]),
            ),
        ),
    )
    stack.set_config("wacht:apiKey", auto.ConfigValue(os.environ["FLOW_API_KEY"], secret=True))
    stack.set_config("wacht:baseUrl", auto.ConfigValue(os.environ["FLOW_BASE_URL"]))
    up = stack.up()
    preview = stack.preview(expect_no_changes=True)
    destroy = stack.destroy()
    print(
        json.dumps(
            {
                "sdkVersion": importlib.metadata.version("pulumi_wacht"),
                "outputs": {k: v.value for k, v in up.outputs.items()},
                "up": counts(up.summary),
                "preview": preview.change_summary,
                "destroy": counts(destroy.summary),
                "exposes": [n for n in ("User", "get_user", "get_user_output") if hasattr(wacht, n)],
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
