// The single-page apps of spa.test on oidc-client-ts's browser bundle
// (the global `oidc`). Under "/" the UserManager keeps the user in its
// default store, sessionStorage, and signs out at the provider
// (signoutRedirect); under "/local/" it keeps it in localStorage
// (WebStorageStateStore) and signs out with removeUser() alone, which
// leaves the tokens valid at the provider.
'use strict';

(() => {
  const local = location.pathname.startsWith('/local/');
  const base = `${location.origin}${local ? '/local/' : '/'}`;
  const settings = {
    authority: document.querySelector('meta[name=authority]').content,
    client_id: local ? 'spa-local' : 'spa',
    redirect_uri: `${base}callback`,
    post_logout_redirect_uri: base,
    scope: 'openid',
  };
  if (local) settings.userStore = new oidc.WebStorageStateStore({ store: window.localStorage });
  const mgr = new oidc.UserManager(settings);
  const view = document.getElementById('app');
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function signedOut() {
    view.innerHTML = '<button id="sign-in" type="button">Sign in with op.test</button>';
    document.getElementById('sign-in').onclick = () => mgr.signinRedirect();
  }

  // The logged-in view shows what the API answers to the access token.
  async function signedIn(user) {
    const res = await fetch('/api/me', { headers: { Authorization: `Bearer ${user.access_token}` } });
    if (!res.ok) {
      signedOut();
      return;
    }
    const me = await res.json();
    view.innerHTML = `<p id="welcome">Welcome, ${esc(me.sub)}</p><button id="sign-out" type="button">Sign out</button>`;
    document.getElementById('sign-out').onclick = local
      ? () => mgr.removeUser().then(signedOut)
      : () => mgr.signoutRedirect();
  }

  async function main() {
    const url = new URL(location.href);
    if (url.pathname.endsWith('/callback')) {
      await mgr.signinCallback();
      history.replaceState(null, '', base);
    } else if (url.searchParams.has('state')) {
      await mgr.signoutCallback(); // back from the provider's logout
      history.replaceState(null, '', base);
    }
    const user = await mgr.getUser();
    if (user && !user.expired) await signedIn(user);
    else signedOut();
  }

  main().catch((err) => {
    view.innerHTML = `<p id="error">${esc(err.message)}</p>`;
  });
})();
