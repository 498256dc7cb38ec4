#!/usr/bin/env node
/**
 * Runs @doyensec/electronegativity on the Electron shell's sources and fails on any HIGH finding
 * or on a file it could not scan (an unscanned file must not pass silently).
 *
 *   node electron/lint/electronegativity.cjs [dir ...]      (default: electron)
 *
 * Why a wrapper: electronegativity loads @typescript-eslint/typescript-estree, which needs the
 * TypeScript 4 JS API; the project's TypeScript 7 has none, so the CLI crashes before scanning.
 * Requests for `typescript` from those two packages are sent to electronegativity's own TypeScript
 * 4.2 here. Sources are parsed by @babel/parser, which reads current TypeScript syntax.
 * It also looks up translations and Electron releases online; a command center's build machines have
 * no internet, so `got` is replaced by one that fails at once (the check of available security fixes
 * for the Electron version is then skipped; keep Electron current through the lockfile instead).
 */
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const root = path.resolve(__dirname, '../..');
const egDir = path.join(root, 'node_modules/@doyensec/electronegativity');
const oldTypescript = path.join(egDir, 'node_modules/typescript/lib/typescript.js');

const offlineGot = path.join(__dirname, 'offline-got.virtual.js');
require.cache[offlineGot] = Object.assign(new Module(offlineGot), {
  filename: offlineGot,
  loaded: true,
  exports: () => Promise.reject(new Error('offline: the linter makes no network requests')),
});

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const from = parent?.filename ?? '';
  if (request === 'got' && from.includes('electronegativity')) return offlineGot;
  if (request === 'typescript' && fs.existsSync(oldTypescript) && /@typescript-eslint|electronegativity/.test(from)) {
    return oldTypescript;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

const run = require(path.join(egDir, 'dist/runner.js'));
const { severity } = require(path.join(egDir, 'dist/finder/attributes.js'));

/**
 * Findings reviewed and accepted, by check id and file; each says why. Keep this list short.
 */
const ACCEPTED = [];

const main = async () => {
  const dirs = process.argv.slice(2);
  const inputs = (dirs.length > 0 ? dirs : ['electron']).map((d) => path.resolve(root, d));
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-')), 'report.csv');
  let high = 0;
  let failed = 0;
  for (const input of inputs) {
    const result = await run({
      input,
      output: report,
      isSarif: false,
      customScan: [],
      excludeFromScan: [],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: require(path.join(root, 'node_modules/electron/package.json')).version,
      parserPlugins: [],
    });
    for (const error of result.errors) {
      console.error(
        `electronegativity: ${error.tolerable ? 'warning' : 'could not scan'} ${error.file}: ${error.message}`,
      );
      if (!error.tolerable) failed += 1;
    }
    for (const issue of result.issues) {
      const where = `${path.relative(root, path.resolve(input, issue.file))}:${issue.location.line}:${issue.location.column}`;
      const accepted = ACCEPTED.find((a) => a.id === issue.id && where.startsWith(a.file));
      const level = issue.severity.name;
      const line = `${level.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id} ${where}${issue.manualReview ? ' (review)' : ''}${accepted ? ` accepted: ${accepted.why}` : ''}`;
      console.log(line);
      if (issue.severity.value >= severity.HIGH.value && !accepted) high += 1;
    }
    console.log(
      `electronegativity: ${path.relative(root, input)}: ${result.issues.length} findings, ${result.atomicChecks} atomic + ${result.globalChecks} global checks`,
    );
  }
  if (high > 0 || failed > 0) {
    console.error(`electronegativity: FAILED (${high} high findings, ${failed} files not scanned)`);
    process.exit(1);
  }
  console.log('electronegativity: no high findings');
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
