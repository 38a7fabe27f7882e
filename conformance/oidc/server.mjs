// A real OpenID Connect stack for the conformance tests, three https sites
// in one process:
//
//   op.test   panva's oidc-provider with its own development interaction
//             (the login form that takes any user and password);
//   rp.test   a server-side relying party on openid-client: express-session
//             keeps the PKCE verifier, state and nonce; the session is
//             regenerated at login and destroyed at logout;
//   spa.test  single-page apps on oidc-client-ts's browser bundle, and the
//             API they call with Authorization: Bearer. "/" keeps the user
//             in sessionStorage (the library's default) and signs out at the
//             provider (signoutRedirect); "/local/" keeps it in localStorage
//             (WebStorageStateStore) and signs out with removeUser() only.
//
// Usage: node server.mjs CERT.pem KEY.pem
// Listens on three free ports of 127.0.0.1 and prints one JSON line
// {"op":PORT,"rp":PORT,"spa":PORT} once all three accept and the relying
// party has read the provider's discovery document.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import express from 'express';
import session from 'express-session';
import Provider from 'oidc-provider';
import * as client from 'openid-client';

const [certFile, keyFile] = process.argv.slice(2);
if (!certFile || !keyFile) {
  console.error('usage: node server.mjs CERT.pem KEY.pem');
  process.exit(2);
}
const tls = { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };

// Each site's handler is set once every port is known: the provider's
// issuer and the clients' redirect URIs name them.
const handlers = {};
const servers = {};
for (const name of ['op', 'rp', 'spa']) {
  servers[name] = https.createServer(tls, (req, res) => handlers[name](req, res));
}
await Promise.all(Object.values(servers).map((s) => new Promise((ok) => s.listen(0, '127.0.0.1', ok))));
const portOf = (name) => servers[name].address().port;
const originOf = (name) => `https://${name}.test:${portOf(name)}`;
const [OP, RP, SPA] = ['op', 'rp', 'spa'].map(originOf);

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>`
  + `<link rel="icon" href="data:,"></head><body>${body}</body></html>`;

// --- op.test ---------------------------------------------------------------

const rpSecret = crypto.randomBytes(24).toString('base64url');
const spaClient = (id, path) => ({
  client_id: id,
  token_endpoint_auth_method: 'none', // a public client: the browser holds no secret
  grant_types: ['authorization_code', 'refresh_token'],
  redirect_uris: [`${SPA}${path}callback`],
  post_logout_redirect_uris: [`${SPA}${path}`],
});
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(OP, {
  clients: [
    {
      client_id: 'rp',
      client_secret: rpSecret,
      token_endpoint_auth_method: 'client_secret_post', // openid-client's default for a string secret
      redirect_uris: [`${RP}/callback`],
    },
    spaClient('spa', '/'),
    spaClient('spa-local', '/local/'),
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'conformance', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  // The SPAs call the token endpoint from their own origin.
  clientBasedCORS: (ctx, origin) => origin === SPA,
  // A refresh token for every client allowed the grant, as SPA setups that
  // renew with refresh tokens configure it (the default wants
  // offline_access, which the provider only grants after a consent page).
  issueRefreshToken: async (ctx, c) => c.grantTypeAllowed('refresh_token'),
  // The clients are first-party: no consent page, so the development login
  // form is the only interaction (oidc-provider documents loadExistingGrant
  // as the way to skip consent).
  async loadExistingGrant(ctx) {
    const { client: c, session: s } = ctx.oidc;
    const existing = s.grantIdFor(c.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({ clientId: c.clientId, accountId: s.accountId });
    grant.addOIDCScope('openid');
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      // The provider's own confirmation form, with ids the scenarios click.
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out - op.test', `<h1>Sign out from op.test?</h1>${form}`
          + '<button id="op-logout-yes" type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>');
      },
    },
  },
});
const opCallback = provider.callback();
handlers.op = (req, res) => {
  // The development login page imports a Google font: keep the test off
  // the network (styles from the page itself only).
  res.setHeader('content-security-policy', "style-src 'self' 'unsafe-inline'");
  opCallback(req, res);
};

// --- rp.test ---------------------------------------------------------------

// The relying party reaches the provider at 127.0.0.1, checking that the
// certificate is the one given on the command line (the test's self-signed
// one, which no CA vouches for and which names no .test host but shop.test).
const pinned = new crypto.X509Certificate(tls.cert).fingerprint256;
function pinnedFetch(url, options) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1',
      port: u.port,
      path: u.pathname + u.search,
      method: options.method,
      headers: { ...options.headers, host: u.host },
      servername: u.hostname,
      rejectUnauthorized: false, // replaced by the pin below
      agent: false,
      signal: options.signal,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) [].concat(v).forEach((x) => headers.append(k, x));
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers }));
      });
    });
    req.on('error', reject);
    req.on('socket', (sock) => sock.on('secureConnect', () => {
      if (sock.getPeerCertificate().fingerprint256 !== pinned) sock.destroy(new Error(`${u.host}: not the pinned certificate`));
    }));
    req.end(options.body === undefined || options.body === null ? undefined : String(options.body));
  });
}

const rpConfig = await client.discovery(new URL(OP), 'rp', rpSecret, undefined, { [client.customFetch]: pinnedFetch });

const rp = express();
rp.use(session({
  secret: crypto.randomBytes(24).toString('base64url'),
  resave: false,
  saveUninitialized: false, // the first session is the login transaction's
  // Lax: the provider's redirect back to /callback is a cross-site top-level
  // GET, which must carry the transaction's session.
  cookie: { secure: true, httpOnly: true, sameSite: 'lax' },
}));

rp.get('/', (req, res) => {
  res.type('html').send(page('rp.test', req.session.user
    ? '<p><a id="account" href="/account">Your account</a></p>'
    : '<p><a id="sign-in" href="/login">Sign in with op.test</a></p>'));
});

rp.get('/account', (req, res) => {
  if (!req.session.user) return res.redirect('/');
  res.type('html').send(page('Account - rp.test', `<p id="welcome">Welcome, ${esc(req.session.user)}</p>`
    + '<form id="logout-form" method="post" action="/logout"><button id="logout" type="submit">Sign out</button></form>'));
});

// The authorization request: PKCE verifier, state and nonce stay in the
// session, only the challenge and the two values travel.
rp.get('/login', async (req, res, next) => {
  try {
    const verifier = client.randomPKCECodeVerifier();
    const tx = { verifier, state: client.randomState(), nonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(rpConfig, {
      redirect_uri: `${RP}/callback`,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: tx.state,
      nonce: tx.nonce,
    });
    req.session.oidc = tx;
    req.session.save((err) => (err ? next(err) : res.redirect(url.href)));
  } catch (err) {
    next(err);
  }
});

// The callback: openid-client checks state, exchanges the code with the
// verifier and checks the ID token's nonce; then a new session.
rp.get('/callback', async (req, res, next) => {
  const tx = req.session.oidc;
  if (!tx) return res.status(400).type('html').send(page('Error - rp.test', '<p id="error">no login in progress</p>'));
  try {
    const tokens = await client.authorizationCodeGrant(rpConfig, new URL(req.originalUrl, RP), {
      pkceCodeVerifier: tx.verifier, expectedState: tx.state, expectedNonce: tx.nonce, idTokenExpected: true,
    });
    const { sub } = tokens.claims();
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.user = sub;
      req.session.save((e) => (e ? next(e) : res.redirect(303, '/account')));
    });
  } catch (err) {
    res.status(400).type('html').send(page('Error - rp.test', `<p id="error">${esc(err.message)}</p>`));
  }
});

rp.post('/logout', (req, res, next) => {
  req.session.destroy((err) => {
    if (err) return next(err);
    res.clearCookie('connect.sid', { secure: true, httpOnly: true, sameSite: 'lax' });
    res.redirect(303, '/');
  });
});
handlers.rp = rp;

// --- spa.test --------------------------------------------------------------

const require = createRequire(import.meta.url);
// The package exports no path to its browser bundle: find it beside its
// package.json.
const bundle = path.join(path.dirname(require.resolve('oidc-client-ts/package.json')), 'dist/browser/oidc-client-ts.min.js');
const here = new URL('.', import.meta.url).pathname;

// The same shell on every route of an app, as SPA hosting serves it; the
// script routes (the callback, the signed-out return) by itself.
const shell = page('spa.test', `<main id="app">Loading...</main><meta name="authority" content="${esc(OP)}">`
  + '<script src="/oidc-client-ts.min.js"></script><script src="/app.js"></script>');

const spa = express();
spa.get(['/', '/callback', '/local/', '/local/callback'], (req, res) => res.type('html').send(shell));
spa.get('/oidc-client-ts.min.js', (req, res) => res.sendFile(bundle));
spa.get('/app.js', (req, res) => res.sendFile(`${here}spa.js`));
// The API: a bearer access token the provider issued and has not revoked.
spa.get('/api/me', async (req, res) => {
  const [scheme, value] = (req.get('authorization') || '').split(' ');
  const token = scheme === 'Bearer' && value ? await provider.AccessToken.find(value) : undefined;
  if (!token) return res.status(401).set('www-authenticate', 'Bearer error="invalid_token"').json({ error: 'invalid_token' });
  res.set('cache-control', 'no-store').json({ sub: token.accountId });
});
handlers.spa = spa;

process.stdout.write(`${JSON.stringify({ op: portOf('op'), rp: portOf('rp'), spa: portOf('spa') })}\n`);
process.on('SIGTERM', () => process.exit(0));
