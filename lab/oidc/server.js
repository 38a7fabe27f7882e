// op.test: the lab's OpenID Connect provider, panva's certified
// oidc-provider with one login page of its own. The Go lab starts it (see
// lab/oidc.go) and reverse-proxies https://op.test:PORT to it; it listens
// on 127.0.0.1 only, on a free port, and prints {"port": N} as its first
// line of output once it accepts connections.
//
// Environment: OP_ISSUER (https://op.test:PORT, as the browser sees it) and
// OP_CLIENTS (the JSON array of client metadata, one client per relying
// party host of the lab). It exits when its standard input closes, so that
// it never outlives the lab that started it.

import * as crypto from 'node:crypto';
import * as http from 'node:http';

import Provider from 'oidc-provider';

const issuer = process.env.OP_ISSUER;
const clients = JSON.parse(process.env.OP_CLIENTS || '[]');
if (!issuer || clients.length === 0) {
  console.error('op.test: OP_ISSUER and OP_CLIENTS are required');
  process.exit(2);
}

// The lab's one user, as on the other lab hosts that check a password.
const USER = 'alice';
const PASSWORD = 'lab-password';

// Signing keys and cookie keys are new at every start, as every key of the lab is.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk] },
  cookies: {
    keys: [crypto.randomBytes(32).toString('base64url')],
    // The session cookie is SameSite=None, as a provider that supports silent
    // renewal in an iframe must set it; the interaction cookies keep the default.
    long: { httpOnly: true, sameSite: 'none' },
    short: { httpOnly: true, sameSite: 'lax' },
  },
  claims: { openid: ['sub'], profile: ['name'] },
  async findAccount(ctx, id) {
    if (id !== USER) return undefined;
    return { accountId: id, async claims() { return { sub: id, name: 'Alice' }; } };
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  // First-party clients: grant the scopes they ask for without a consent page
  // (the documented way to skip consent), so the only interaction is the login.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error - op.test', `<h1 id="op-error">${esc(out.error)}</h1><p id="op-error-description">${esc(out.error_description || '')}</p>`);
  },
});
// The lab's TLS ends in the Go reverse proxy, which sets X-Forwarded-Proto
// and X-Forwarded-Host: trust them so that URLs and Secure cookies are https.
provider.proxy = true;

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>`
    + `<link rel="icon" href="data:,"></head><body><main>${body}</main></body></html>`;
}

function loginForm(uid, client, problem) {
  return page('Sign in - op.test', '<h1>Sign in to op.test</h1>'
    + `<p>You are signing in to <code id="op-client">${esc(client)}</code>.</p>`
    + (problem ? `<p id="op-login-error" role="alert">${esc(problem)}</p>` : '')
    + `<form id="op-form" method="post" action="/interaction/${esc(uid)}/login">`
    + '<p><label for="op-user">User</label> <input id="op-user" name="user" autocomplete="username"></p>'
    + '<p><label for="op-password">Password</label> <input id="op-password" name="password" type="password" autocomplete="current-password"></p>'
    + '<p><button id="op-login" type="submit">Sign in</button></p></form>');
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 << 10) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

// interaction serves the login page (GET /interaction/UID) and its form
// (POST /interaction/UID/login); everything else is the provider's.
async function interaction(req, res, login) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (err) {
    send(res, 400, page('Error - op.test', `<h1 id="op-error">${esc(err.error || 'invalid_request')}</h1><p id="op-error-description">${esc(err.error_description || err.message)}</p>`));
    return;
  }
  const { uid, prompt, params } = details;
  if (!login) {
    send(res, 200, loginForm(uid, params.client_id, ''));
    return;
  }
  if (req.method !== 'POST' || prompt.name !== 'login') {
    send(res, 405, page('Error - op.test', '<h1 id="op-error">method_not_allowed</h1>'));
    return;
  }
  const form = await readForm(req);
  if (form.get('user') !== USER || form.get('password') !== PASSWORD) {
    send(res, 401, loginForm(uid, params.client_id, 'Wrong user name or password.'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: USER } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(new URL(req.url, 'http://op.test').pathname);
  if (m) {
    interaction(req, res, Boolean(m[2])).catch((err) => {
      if (!res.headersSent) send(res, 500, page('Error - op.test', `<h1 id="op-error">server_error</h1><p>${esc(err.message)}</p>`));
      else res.end();
    });
    return;
  }
  callback(req, res);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
