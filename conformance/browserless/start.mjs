// Starts the open-source browserless pool with Debian's Chromium, as the
// conformance test of --browser-url needs it: on HOST:PORT, with TOKEN.
//
//   CHROMIUM=/usr/bin/chromium PORT=3000 TOKEN=... HOST=127.0.0.1 node start.mjs
//
// browserless serves only the browsers it finds, at the paths of the
// Playwright release it bundles, and refuses to start when a route's
// browser is missing. So: Chromium is linked at Playwright's path inside
// BROWSERS_DIR (a temporary directory, never a system path), and the
// routes of the other browsers (Chrome, Edge, Firefox, WebKit) are off.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);

// npm hoists playwright-core; browserless reads its browsers.json from its
// own node_modules.
const own = path.join(here, 'node_modules/@browserless.io/browserless/node_modules');
if (!fs.existsSync(path.join(own, 'playwright-core'))) {
  fs.mkdirSync(own, { recursive: true });
  fs.symlinkSync('../../../playwright-core', path.join(own, 'playwright-core'));
}

const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const made = !process.env.BROWSERS_DIR;
const browsersDir = process.env.BROWSERS_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'browserless-'));
process.env.PLAYWRIGHT_BROWSERS_PATH = browsersDir;
const exe = require('playwright-core').chromium.executablePath();
fs.mkdirSync(path.dirname(exe), { recursive: true });
if (!fs.existsSync(exe)) fs.symlinkSync(chromium, exe);

// A worker keeps its connection (its browser) for all its scenarios:
// browserless's default session limit of 30 s cut the connection under
// a loaded machine's suite. (TIMEOUT is browserless's own setting.)
process.env.TIMEOUT ??= '600000';
const bl = await import('@browserless.io/browserless');
const server = new bl.Browserless();
server.disableRoutes(...[bl.BrowserlessChromeRoutes, bl.BrowserlessEdgeRoutes,
  bl.BrowserlessFirefoxRoutes, bl.BrowserlessWebKitRoutes].flatMap(Object.values));
await server.start();

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.once(sig, async () => {
    await server.stop();
    if (made) fs.rmSync(browsersDir, { recursive: true, force: true });
    process.exit(0);
  });
}
