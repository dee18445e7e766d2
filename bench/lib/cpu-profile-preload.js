// Preloaded (NODE_OPTIONS=--require) into every Node process of a profiled bench step
// (bench/floor.ts; Node 20 refuses --cpu-prof in NODE_OPTIONS). In the program process
// (scripts/cli/pulumi-inline.js) and a provider process (the dynamic-provider host, a native
// plugin) it starts V8's sampling profiler and writes FLOOR_PROFILE_DIR/<role>-<pid>.cpuprofile
// when the process exits. The engine stops a provider with SIGINT, whose default action would end
// the process without an exit event: a provider exits normally on SIGINT instead.
// With FLOOR_PROFILE_KIND=heap it runs V8's sampling heap profiler instead and writes
// <role>-<pid>.heapprofile: the allocation sites of what is still live when the process exits
// (for the program process, every registered resource; bench/lib/heap-profile.ts sums them).
// With FLOOR_PROFILE_KIND=alloc the same profile also counts what the garbage collector freed:
// everything allocated, by site (the garbage that drives the peak RSS and the GC time).
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
  const kind = process.env.FLOOR_PROFILE_KIND;
  const heap = kind === "heap" || kind === "alloc";
  if (heap) {
    session.post("HeapProfiler.enable");
    session.post("HeapProfiler.startSampling", {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: kind === "alloc",
      includeObjectsCollectedByMinorGC: kind === "alloc",
    });
  } else {
    session.post("Profiler.enable");
    session.post("Profiler.setSamplingInterval", { interval: 1000 });
    session.post("Profiler.start");
  }
  let written = false;
  process.on("exit", () => {
    if (written) return;
    written = true;
    // An in-thread session answers synchronously, so this runs before the process ends.
    const file = path.join(dir, `${role}-${process.pid}.${heap ? "heapprofile" : "cpuprofile"}`);
    session.post(heap ? "HeapProfiler.stopSampling" : "Profiler.stop", (err, result) => {
      if (err) return;
      fs.writeFileSync(file, JSON.stringify(result.profile));
    });
  });
  if (role === "provider") process.once("SIGINT", () => process.exit(0));
}
