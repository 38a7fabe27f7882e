// The pages the Node apps serve alike, so that their scenarios
// (conformance/scenarios) find the same form and markers on every stack:
// the sign-in form, and the account page of a client-side session that
// counts its visits and signs out with a POST.
'use strict';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const loginPage = `<!doctype html><title>Sign in</title>
<form id="login-form" method="post" action="/login">
<input id="user" name="user"> <input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`;

const visitsPage = (user, visits) => `<!doctype html><title>Account</title>
<p id="welcome">Welcome, ${esc(user)} (visit ${visits})</p>
<form id="logout-form" method="post" action="/logout"><button id="logout" type="submit">Sign out</button></form>`;

module.exports = { esc, loginPage, visitsPage };
