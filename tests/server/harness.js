// harness.js - what the dashboard's headless-browser tests share
// (browser_test.js, lookups_browser_test.js): arguments, pass/fail
// counting, playwright-core from web/node_modules, starting `allot serve`
// on a free port, and waiting for a page to be drawn.
'use strict';
const path = require('path');
const { spawn } = require('child_process');
const { createRequire } = require('module');

/* --NAME VALUE from the command line, as an absolute path. */
function arg(script, name) {
  const i = process.argv.indexOf('--' + name);
  if (i < 0 || i + 1 >= process.argv.length) {
    console.error(`usage: node ${script} --allot PATH --src DIR --out DIR (missing --${name})`);
    process.exit(2);
  }
  return path.resolve(process.argv[i + 1]);
}

const counts = { passed: 0, failed: 0 };
function check(ok, what) {
  if (ok) counts.passed++;
  else { counts.failed++; console.log('FAIL ' + what); }
}
function eq(got, want, what) {
  check(got === want, `${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}

function loadPlaywright(src, script) {
  const req = createRequire(path.join(src, 'web', 'package.json'));
  try {
    return req('playwright-core');
  } catch (e) {
    console.error(`${script}: playwright-core is not installed in web/node_modules: ` +
      'run (cd web && npm ci)');
    process.exit(1);
  }
}

/* Starts allot serve (with extra arguments, if any) and resolves with
 * { proc, url, origin, token }. */
function startServer(allot, db, extra) {
  return new Promise((resolve, reject) => {
    const proc = spawn(allot, ['serve', '--db', db, '--port', '0'].concat(extra || []),
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/allot serve: (http:\/\/[^/]+)\/#token=([0-9a-f]{32})/);
      if (m) resolve({ proc, origin: m[1], url: `${m[1]}/#token=${m[2]}`, token: m[2] });
    });
    proc.on('exit', (c) => reject(new Error('allot serve exited with ' + c)));
    setTimeout(() => reject(new Error('allot serve printed no URL')), 10000);
  });
}

async function ready(page, name, timeout) {
  await page.waitForSelector(`main[data-ready="${name}"]`, { timeout: timeout || 20000 });
}

module.exports = { arg, counts, check, eq, loadPlaywright, startServer, ready };
