// koa-session's default: a cookie session. The session data (base64 JSON,
// with koa-session's own _expire and _maxAge) is the cookie "koa.sess",
// signed by keygrip in "koa.sess.sig". The first write sets them as session
// cookies, later ones with the default maxAge (one day) that the data
// carries. Nothing is kept on the server, so logout (ctx.session = null)
// only expires the cookies in the browser.
//
// Usage: node koa-session-app.js
// Listens on a free port of 127.0.0.1 (plain http) and prints one JSON line
// {"http":PORT} on standard output once it accepts.
'use strict';

const http = require('http');
const Koa = require('koa');
const session = require('koa-session').default;
const { loginPage, visitsPage } = require('./pages');

const app = new Koa();
app.keys = ['conformance-key-1'];
app.use(session({ sameSite: 'lax' }, app));

// form reads an urlencoded body (the login form is the only one).
const form = (ctx) => new Promise((resolve, reject) => {
  let body = '';
  ctx.req.setEncoding('utf8');
  ctx.req.on('data', (d) => { body += d; });
  ctx.req.on('end', () => resolve(new URLSearchParams(body)));
  ctx.req.on('error', reject);
});

app.use(async (ctx) => {
  if (ctx.path === '/login' && ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = loginPage;
  } else if (ctx.path === '/login' && ctx.method === 'POST') {
    ctx.session.user = (await form(ctx)).get('user') || 'anonymous';
    ctx.status = 303;
    ctx.redirect('/account');
  } else if (ctx.path === '/account') {
    if (!ctx.session.user) return ctx.redirect('/login');
    // A write on every visit: every response re-signs the cookie with a new value.
    ctx.session.visits = (ctx.session.visits || 0) + 1;
    ctx.type = 'html';
    ctx.body = visitsPage(ctx.session.user, ctx.session.visits);
  } else if (ctx.path === '/logout' && ctx.method === 'POST') {
    ctx.session = null;
    ctx.status = 303;
    ctx.redirect('/login');
  } else {
    ctx.status = 404;
  }
});

const server = http.createServer(app.callback());
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ http: server.address().port }));
});
