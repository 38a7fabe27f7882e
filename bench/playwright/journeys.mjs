// The Playwright side of bench.BenchmarkVsPlaywright: the lab journeys of
// scenarios/lab/{correct,fixation,logout-keep,mixed,scope,urlsession,script,
// resetcode}.yaml, written once more the way a Playwright user would write
// them (playwright-core, page.goto/fill/click, waitForURL, locators, cookie
// checks through context.cookies()). Same steps, same expectations, same
// Chromium (/usr/bin/chromium), same flags as the harness, one browser and a
// new browser context per journey, N journeys at once.
//
//   node journeys.mjs --https-port 41234 --http-port 41235 --spki HASH \
//        [--workers 2] [--repeat 1] [--journeys correct,mixed] [--chrome PATH]
//        [--browser-per-worker]
//
// (or LAB_HTTPS_PORT, LAB_HTTP_PORT, LAB_SPKI, CHROME_PATH in the environment).
// Prints one JSON line: {"journeys":N,"passed":N,"failed":[...],"ms":T}
// where ms is the time from before the browser starts to after it has closed.
// Exits 1 when a journey failed.

import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import http from 'node:http';
import https from 'node:https';

const { values: opt } = parseArgs({
  options: {
    'https-port': { type: 'string', default: process.env.LAB_HTTPS_PORT },
    'http-port': { type: 'string', default: process.env.LAB_HTTP_PORT },
    spki: { type: 'string', default: process.env.LAB_SPKI },
    chrome: { type: 'string', default: process.env.CHROME_PATH || '/usr/bin/chromium' },
    workers: { type: 'string', default: String(availableParallelism()) },
    repeat: { type: 'string', default: '1' },
    journeys: { type: 'string', default: '' },
    // Playwright Test's own model: one browser per worker (still a new
    // context per test). The default is one browser for all workers, as
    // sessiontrace does.
    'browser-per-worker': { type: 'boolean', default: false },
  },
});
if (!opt['https-port'] || !opt['http-port'] || !opt.spki) {
  console.error('usage: node journeys.mjs --https-port N --http-port N --spki HASH [--workers N] [--repeat N] [--journeys a,b]');
  process.exit(2);
}

// ${lab.NAME} and ${lab.http.NAME}, as scenarios.Resolver gives them.
const lab = (name) => `https://${name}.test:${opt['https-port']}`;
const labHTTP = (name) => `http://${name}.test:${opt['http-port']}`;
const user = 'alice';
const password = 'lab-password';

class ExpectationError extends Error {}
function check(ok, msg) {
  if (!ok) throw new ExpectationError(msg);
}
async function expectText(page, selector, { contains, equals }) {
  const text = (await page.locator(selector).textContent()) ?? '';
  if (equals !== undefined) check(text.trim() === equals, `text of ${selector} is ${JSON.stringify(text)}, want ${JSON.stringify(equals)}`);
  if (contains !== undefined) check(text.includes(contains), `text of ${selector} is ${JSON.stringify(text)}, want it to contain ${JSON.stringify(contains)}`);
}
const path = (p) => (u) => u.pathname === p;
async function cookie(context, name) {
  return (await context.cookies()).find((c) => c.name === name);
}
function checkCookie(c, name, want) {
  check(c, `cookie ${name} is missing`);
  for (const [k, v] of Object.entries(want)) {
    const got = k === 'session' ? c.expires === -1 : c[k];
    check(got === v, `cookie ${name}: ${k} is ${got}, want ${v}`);
  }
}

// The probes every journey's scenario declares (session.probe: /account,
// #welcome), done as sessiontrace does them: the cookies held at one
// moment replayed later by a plain HTTP client (no browser, keep-alive
// connections, the lab's .test names on loopback), logged in when the
// page has the marker. After login: the cookies held before it
// (fixation); after logout: those held before it, and those held right
// after login when they changed since (client-side sessions).
const lookup = (host, o, cb) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
const agents = {
  'https:': new https.Agent({ lookup, keepAlive: true, rejectUnauthorized: false }),
  'http:': new http.Agent({ lookup, keepAlive: true }),
};
function applies(c, u) {
  const host = u.hostname, d = c.domain.replace(/^\./, '');
  const domainOK = c.domain.startsWith('.') ? host === d || host.endsWith('.' + d) : host === d;
  const pathOK = u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : c.path + '/');
  return domainOK && pathOK && (!c.secure || u.protocol === 'https:');
}
function probe(held, url) {
  const u = new URL(url);
  const pairs = held.filter((c) => applies(c, u)).map((c) => `${c.name}=${c.value}`);
  if (pairs.length === 0) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const mod = u.protocol === 'https:' ? https : http;
    mod.get(u, { agent: agents[u.protocol], headers: { Cookie: pairs.join('; ') } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(res.statusCode === 200 && /id=["']?welcome\b/.test(body)));
    }).on('error', reject);
  });
}
const changed = (a, b) => a.some((c) => b.some((d) => d.name === c.name && d.domain === c.domain && d.path === c.path && d.value !== c.value));
// Each probe's answer is checked against what the lab does (docs/lab.md):
// only fixation keeps the pre-login ID, only logout-keep keeps the session.
async function loginProbe(context, pre, base, loggedIn = false) {
  check(((await probe(pre, `${base}/account`)) === true) === loggedIn, `login probe: logged in should be ${loggedIn}`);
  return context.cookies();
}
async function logoutProbes(held, afterLogin, base, loggedIn = false) {
  check(((await probe(held, `${base}/account`)) === true) === loggedIn, `logout probe: logged in should be ${loggedIn}`);
  if (changed(afterLogin, held)) await probe(afterLogin, `${base}/account`);
}

async function login(page) {
  await page.fill('#user', user);
  await page.fill('#password', password);
  await page.click('#login-button');
}

// The first steps that most scenarios share, as those scenario files
// write them: open the login page, log in, the login probe, the welcome
// text, and a new value of the session cookie name. Returns that cookie
// after the login, and the jar the login probe saw then.
async function loginRotates(page, context, base, name) {
  await page.goto(`${base}/login`);
  const before = await cookie(context, name);
  const pre = await context.cookies();
  await login(page);
  await page.waitForURL(path('/account'));
  const afterLogin = await loginProbe(context, pre, base);
  await expectText(page, '#welcome', { contains: 'Welcome, alice' });
  const after = await cookie(context, name);
  check(before && after && after.value !== before.value, 'session not rotated at login');
  return { after, afterLogin };
}

// One function per scenario file; each step of the YAML is one line here
// (or in loginRotates, for the first steps that most share).
const journeys = {
  async correct(page, context) {
    const base = lab('correct');
    await page.goto(`${base}/login`);
    const before = await cookie(context, '__Host-sid');
    checkCookie(before, '__Host-sid', { secure: true, httpOnly: true, sameSite: 'Lax', path: '/', session: true });
    const pre = await context.cookies();
    await login(page);
    await page.waitForURL(path('/account'));
    const afterLogin = await loginProbe(context, pre, base);
    await expectText(page, '#welcome', { contains: 'Welcome, alice' });
    const after = await cookie(context, '__Host-sid');
    checkCookie(after, '__Host-sid', { secure: true, httpOnly: true, sameSite: 'Lax' });
    check(after.value !== before.value, 'session not rotated at login');
    const held = await context.cookies();
    await page.click('#logout');
    await page.waitForURL(path('/'));
    await logoutProbes(held, afterLogin, base);
    check(!(await cookie(context, '__Host-sid')), 'session cookie still there after logout');
  },

  async fixation(page, context) {
    await page.goto(`${lab('fixation')}/login`);
    const before = await cookie(context, 'PHPSESSID');
    checkCookie(before, 'PHPSESSID', { secure: true, httpOnly: false, sameSite: 'Lax' });
    const pre = await context.cookies();
    await login(page);
    await page.waitForURL(path('/account'));
    const afterLogin = await loginProbe(context, pre, lab('fixation'), true);
    await expectText(page, '#welcome', { contains: 'Welcome, alice' });
    const after = await cookie(context, 'PHPSESSID');
    check(after && after.value === before.value, 'session not kept at login');
    const held = await context.cookies();
    await page.click('#logout');
    await page.waitForURL(path('/'));
    await logoutProbes(held, afterLogin, lab('fixation'));
    check(!(await cookie(context, 'PHPSESSID')), 'session cookie still there after logout');
  },

  async 'logout-keep'(page, context) {
    const { afterLogin } = await loginRotates(page, context, lab('logout-keep'), 'connect.sid');
    const held = await context.cookies();
    await page.click('#logout');
    await page.waitForURL(path('/'));
    await logoutProbes(held, afterLogin, lab('logout-keep'), true);
    check(!(await cookie(context, 'connect.sid')), 'session cookie still there after logout');
  },

  async mixed(page, context) {
    const base = lab('mixed');
    const { after } = await loginRotates(page, context, base, 'JSESSIONID');
    checkCookie(after, 'JSESSIONID', { secure: true, httpOnly: true });
    await page.click('#plain-link');
    await page.waitForURL(`${labHTTP('mixed')}/login`);
    await expectText(page, 'h1', { contains: 'Log in' });
    await page.goto(`${base}/account`);
    check(new URL(page.url()).pathname === '/account', `url is ${page.url()}, want /account`);
    await expectText(page, '#welcome', { contains: 'Welcome, alice' });
  },

  async scope(page, context) {
    const base = lab('scope');
    await page.goto(`${base}/login`);
    const pre = await context.cookies();
    await login(page);
    await page.waitForURL(path('/account'));
    await loginProbe(context, pre, base);
    await expectText(page, '#welcome', { contains: 'Welcome, alice' });
    await page.click('#www-link');
    await page.waitForURL(`${lab('www.scope')}/login`);
    await expectText(page, 'h1', { contains: 'Log in' });
    await page.goto(`${base}/app/`);
    await expectText(page, '#app-session-status', { contains: 'new app session' });
    checkCookie(await cookie(context, 'app_session'), 'app_session', { path: '/app' });
    await page.click('#other-link');
    await page.waitForURL(path('/other'));
    await expectText(page, '#app-session-status', { contains: 'No app session here' });
  },

  async urlsession(page, context) {
    await page.goto(`${lab('urlsession')}/login`);
    const before = await cookie(context, 'JSESSIONID');
    const pre = await context.cookies();
    await login(page);
    await page.waitForURL((u) => u.href.includes(';jsessionid='));
    const afterLogin = await loginProbe(context, pre, lab('urlsession'));
    await expectText(page, '#welcome', { contains: 'Welcome, alice' });
    const after = await cookie(context, 'JSESSIONID');
    check(before && after && after.value !== before.value, 'session not rotated at login');
    await page.click('#home-link');
    await page.waitForURL((u) => u.href.includes('?sid='));
    await expectText(page, '#signed-in', { contains: 'alice' });
    await page.goto(`${lab('urlsession')}/account`);
    const held = await context.cookies();
    await page.click('#logout');
    await page.waitForURL(path('/'));
    await logoutProbes(held, afterLogin, lab('urlsession'));
    check(!(await cookie(context, 'JSESSIONID')), 'session cookie still there after logout');
  },

  async script(page, context) {
    await page.goto(`${lab('script')}/login`);
    const before = await cookie(context, 'sid');
    const pre = await context.cookies();
    await login(page);
    await page.waitForURL(path('/account'));
    await loginProbe(context, pre, lab('script'));
    const after = await cookie(context, 'sid');
    check(before && after && after.value !== before.value, 'session not rotated at login');
    checkCookie(after, 'sid', { httpOnly: false });
    await page.click('#script-link');
    await page.locator('#script-done').waitFor();
    await expectText(page, '#sid-visible', { equals: 'yes' });
    const jar = await context.cookies();
    check(jar.some((c) => c.name === 'js_pref'), 'cookie js_pref is missing');
    check(!jar.some((c) => c.name === 'banner_seen'), 'cookie banner_seen is still there');
    check(jar.some((c) => c.name === 'cs_layout'), 'cookie cs_layout is missing');
  },

  async resetcode(page, context) {
    const base = lab('resetcode');
    await loginRotates(page, context, base, 'ci_session');
    await page.click('#trigger-error');
    await expectText(page, '#error-message', { contains: 'session was reset' });
    check(!(await cookie(context, 'ci_session')), 'session cookie still there after the error page');
    await page.goto(`${base}/account`);
    check(new URL(page.url()).pathname === '/login', `url is ${page.url()}, want /login`);
  },
};

const names = opt.journeys ? opt.journeys.split(',') : Object.keys(journeys);
for (const n of names) {
  if (!journeys[n]) {
    console.error(`unknown journey ${n}; known: ${Object.keys(journeys).join(', ')}`);
    process.exit(2);
  }
}
const queue = [];
for (let r = 0; r < Number(opt.repeat); r++) queue.push(...names);
const workers = Math.max(1, Number(opt.workers));

// The harness's flags (harness/browser.go) on top of Playwright's defaults,
// which already match chromedp's (headless, no first run, no background
// networking, no sync, no extensions, --no-sandbox as root ...).
const launchOptions = {
  executablePath: opt.chrome,
  headless: true,
  args: [
    '--disable-gpu',
    '--disable-quic',
    '--disable-domain-reliability',
    '--window-size=1280,800',
    '--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE localhost',
    `--ignore-certificate-errors-spki-list=${opt.spki}`,
  ],
};

const t0 = performance.now();
const failed = [];
let passed = 0;
let next = 0;

async function worker(browser) {
  while (next < queue.length) {
    const name = queue[next++];
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await journeys[name](page, context);
      passed++;
    } catch (err) {
      failed.push({ journey: name, error: String(err?.message ?? err).split('\n')[0] });
    } finally {
      await context.close();
    }
  }
}

if (opt['browser-per-worker']) {
  await Promise.all(Array.from({ length: workers }, async () => {
    const browser = await chromium.launch(launchOptions);
    try {
      await worker(browser);
    } finally {
      await browser.close();
    }
  }));
} else {
  const browser = await chromium.launch(launchOptions);
  try {
    await Promise.all(Array.from({ length: workers }, () => worker(browser)));
  } finally {
    await browser.close();
  }
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ journeys: queue.length, passed, failed, ms: Math.round(ms * 10) / 10 }));
process.exit(failed.length > 0 ? 1 : 0);
