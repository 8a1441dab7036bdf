// Mocha's spec reporter, plus at the end the test files that took longest, hooks included (a
// file's `before` that starts a chain, an indexer or a service counts, unlike in a test's own
// duration). CI's log ends with it, so a run that grew shows where. MOCHA_FILE_TIMES=<path>
// also writes every file's time as JSON.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_HOOK_BEGIN, EVENT_HOOK_END, EVENT_RUN_END } = Mocha.Runner.constants;
const SHOWN = 15;

class FileTimesReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    /** @type {Map<string, number>} milliseconds per file */
    const times = new Map();
    /** @type {Map<string, number>} milliseconds per file spent in hooks (before, after, …) */
    const hooks = new Map();
    /** @type {Map<object, number>} */
    const started = new Map();
    const fileOf = (runnable) => path.relative(process.cwd(), runnable.file ?? runnable.parent?.file ?? "?");
    const topLevel = (suite) => suite.parent?.root === true && suite.file !== undefined;
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (topLevel(suite)) started.set(suite, performance.now());
    });
    /** Adds the time since `runnable` began to its file's entry in `into`. */
    const ended = (runnable, into) => {
      const start = started.get(runnable);
      if (start === undefined) return;
      started.delete(runnable);
      const file = fileOf(runnable);
      into.set(file, (into.get(file) ?? 0) + (performance.now() - start));
    };
    runner.on(EVENT_SUITE_END, (suite) => ended(suite, times));
    runner.on(EVENT_HOOK_BEGIN, (hook) => started.set(hook, performance.now()));
    runner.on(EVENT_HOOK_END, (hook) => ended(hook, hooks));
    runner.once(EVENT_RUN_END, () => {
      const rows = [...times].sort((a, b) => b[1] - a[1]);
      const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
      const out = process.env.MOCHA_FILE_TIMES;
      if (out) {
        const files = Object.fromEntries(rows.map(([file, ms]) => [file, { ms, hooksMs: hooks.get(file) ?? 0 }]));
        fs.writeFileSync(out, JSON.stringify(files, null, 2) + "\n");
      }
      if (rows.length < 2) return;
      const s = (ms) => `${(ms / 1000).toFixed(1).padStart(7)} s`;
      console.log(`\n  Slowest test files (${(total / 1000).toFixed(0)} s in all): whole file, in its hooks`);
      for (const [file, ms] of rows.slice(0, SHOWN)) console.log(`  ${s(ms)} ${s(hooks.get(file) ?? 0)}  ${file}`);
    });
  }
}

module.exports = FileTimesReporter;
