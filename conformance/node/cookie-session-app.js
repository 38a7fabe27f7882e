// A client-side session on cookie-session: the session data itself is the
// cookie "session" (base64 JSON), signed by keygrip in a second cookie
// "session.sig". Nothing is kept on the server, so logout can only ask the
// browser to drop the cookies: a copy taken before logout stays valid.
//
// Usage: node cookie-session-app.js
// Listens on a free port of 127.0.0.1 (plain http) and prints one JSON line
// {"http":PORT} on standard output once it accepts.
'use strict';

const http = require('http');
const express = require('express');
const cookieSession = require('cookie-session');
const { loginPage, visitsPage } = require('./pages');

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(cookieSession({ name: 'session', keys: ['conformance-key-1'], httpOnly: true, sameSite: 'lax' }));

app.get('/login', (req, res) => {
  res.type('html').send(loginPage);
});

app.post('/login', (req, res) => {
  req.session.user = req.body.user || 'anonymous';
  res.redirect(303, '/account');
});

app.get('/account', (req, res) => {
  if (!req.session.user) return res.redirect('/login');
  // A write on every visit: every response re-signs the cookie with a new value.
  req.session.visits = (req.session.visits || 0) + 1;
  res.type('html').send(visitsPage(req.session.user, req.session.visits));
});

app.post('/logout', (req, res) => {
  req.session = null; // cookie-session's logout: both cookies are expired in the browser
  res.redirect(303, '/login');
});

const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ http: server.address().port }));
});
