// Preloaded (NODE_OPTIONS=--require) into every Node process of a profiled bench step. The engine
// stops a provider plugin with SIGINT; Node's default action would end the process without writing
// its `--cpu-prof` profile, so a provider host exits normally on SIGINT instead. Other processes are
// left alone.
"use strict";
if (/dynamic-provider|native[\\/]main\.js/.test(process.argv[1] || "")) {
  process.once("SIGINT", () => process.exit(0));
}
