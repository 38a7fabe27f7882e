// The classic mixed-scheme case on express-session: one Express app served
// over https AND plain http, the session cookie Secure, no "trust proxy".
// Over http, express-session sees an insecure request and sends no
// Set-Cookie at all, while the browser withholds the Secure cookie: the
// user lands on the login page.
//
// Usage: node express-session-app.js CERT.pem KEY.pem
// Listens on two free ports of 127.0.0.1 and prints one JSON line
// {"https":PORT,"http":PORT} on standard output once both accept.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const express = require('express');
const session = require('express-session');
const { esc, loginPage } = require('./pages');

const [certFile, keyFile] = process.argv.slice(2);
if (!certFile || !keyFile) {
  console.error('usage: node express-session-app.js CERT.pem KEY.pem');
  process.exit(2);
}

let httpPort = 0; // known once the http listener is up; the account page links to it

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(session({
  secret: 'conformance-test-secret',
  resave: false,
  saveUninitialized: true, // an anonymous session exists before login, so the login rotation shows
  cookie: { secure: true, httpOnly: true, sameSite: 'lax' },
}));

app.get('/login', (req, res) => {
  res.type('html').send(loginPage);
});

app.post('/login', (req, res, next) => {
  // regenerate: a new session ID at login (no fixation).
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.user = req.body.user || 'anonymous';
    req.session.save((err) => (err ? next(err) : res.redirect(303, '/account')));
  });
});

app.get('/account', (req, res) => {
  if (!req.session.user) return res.redirect('/login');
  res.type('html').send(`<!doctype html><title>Account</title>
<p id="welcome">Welcome, ${esc(req.session.user)}</p>
<a id="plain-link" href="http://shop.test:${httpPort}/account">Your orders</a>`);
});

app.get('/', (req, res) => res.redirect('/account'));

const httpsServer = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, app);
const httpServer = http.createServer(app);
httpsServer.listen(0, '127.0.0.1', () => {
  httpServer.listen(0, '127.0.0.1', () => {
    httpPort = httpServer.address().port;
    console.log(JSON.stringify({ https: httpsServer.address().port, http: httpPort }));
  });
});
