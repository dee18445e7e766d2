// Preloaded (NODE_OPTIONS=--require) into every Node process of a profiled bench step
// (bench/floor.ts; Node 20 refuses --cpu-prof in NODE_OPTIONS). In the program process
// (scripts/cli/pulumi-inline.js) and a provider process (the dynamic-provider host, a native
// plugin) it starts V8's sampling profiler and writes FLOOR_PROFILE_DIR/<role>-<pid>.cpuprofile
// when the process exits. The engine stops a provider with SIGINT, whose default action would end
// the process without an exit event: a provider exits normally on SIGINT instead.
"use strict";
const script = process.argv[1] || "";
const dir = process.env.FLOOR_PROFILE_DIR;
const role = /pulumi-inline\.js$/.test(script)
  ? "program"
  : /dynamic-provider|native[\\/]main\.js/.test(script)
    ? "provider"
    : undefined;
if (dir && role) {
  const fs = require("node:fs");
  const path = require("node:path");
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  process.on("exit", () => {
    if (written) return;
    written = true;
    // An in-thread session answers synchronously, so this runs before the process ends.
    session.post("Profiler.stop", (err, result) => {
      if (err) return;
      fs.writeFileSync(
        path.join(dir, `${role}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    });
  });
  if (role === "provider") process.once("SIGINT", () => process.exit(0));
}
