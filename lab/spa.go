package lab

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// spa.test is a single-page app that keeps its session in Web Storage, as
// apps built on auth0-spa-js, oidc-client-ts or a hand-written fetch
// wrapper do: the login answers JSON tokens, the script stores them in
// localStorage and sessionStorage and sends the access token as
// Authorization: Bearer. There is no cookie at all, so a recorder that
// only watches the jar sees no session.
//
// Its bug is a common one: the page decides whether the user is logged in
// from the sessionStorage copy (oidc-client-ts's "oidc.user:" item), and
// the logout removes only that copy. The tokens stay in localStorage, and
// the server revokes nothing (a stateless JWT), so the access token keeps
// working until it expires.

const (
	spaUser     = "alice"
	spaPassword = "lab-password"
	// spaTokenLifetime is the access token's lifetime (exp = iat + 15 min),
	// a common default for SPA access tokens.
	spaTokenLifetime = 15 * time.Minute
	// spaUserKey is where oidc-client-ts keeps its user: "oidc.user:" +
	// authority + ":" + client_id.
	spaUserKey = "oidc.user:https://idp.spa.test:spa"
)

// spaApp is spa.test's API: it signs access tokens with its own random key
// and keeps no state, so there is nothing a logout could revoke.
type spaApp struct {
	lab *Lab
	jwt *jwtCodec // verifies the HS256 tokens; signs them through sign
}

func (l *Lab) setupSPA(s *site) {
	s.app = false
	a := &spaApp{lab: l, jwt: &jwtCodec{key: randomKey(32)}}
	s.spa = a
	// The same shell on every route of the app, as SPA hosting does (a
	// reload of /account gets the app, which then routes by script).
	s.routes["/"] = a.shell
	s.routes["/account"] = a.shell
	s.routes["/app.js"] = spaScript
	s.routes["/api/login"] = a.login
	s.routes["/api/me"] = a.me
	s.routes["/api/orders"] = a.orders
	s.routes["/api/report"] = a.report
	s.routes["/api/logout"] = a.logout
}

// spaClaims are the access token's claims: no jti, no session ID, nothing
// the server could look up.
type spaClaims struct {
	Sub string `json:"sub"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
}

// token signs an access token for user, issued at now.
func (a *spaApp) token(user string, now time.Time) string {
	cj, _ := json.Marshal(spaClaims{Sub: user, Iat: now.Unix(), Exp: now.Add(spaTokenLifetime).Unix()}) // never fails
	v := b64.EncodeToString([]byte(jwtHeader)) + "." + b64.EncodeToString(cj)
	return v + "." + a.jwt.sign(v)
}

// spaTokens is the login's answer, shaped like an OAuth token response.
type spaTokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

type spaError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func (a *spaApp) shell(c *ctx) {
	if c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		c.methodNotAllowed("GET, HEAD")
		return
	}
	c.page(http.StatusOK, "spa.test", `<h1>spa.test</h1><div id="app"><noscript><p id="no-script">This app needs JavaScript.</p></noscript></div>`+
		`<script src="/app.js"></script>`)
}

// login takes JSON {user, password} and answers the tokens; only alice
// with the lab's password gets them (the common app takes any user, but an
// API that refuses nobody would hide a refused login).
func (a *spaApp) login(c *ctx) {
	if c.r.Method != http.MethodPost {
		c.w.Header().Set("Allow", "POST")
		writeJSON(c, http.StatusMethodNotAllowed, spaError{Error: "method_not_allowed"})
		return
	}
	var in struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 64<<10)).Decode(&in); err != nil {
		writeJSON(c, http.StatusBadRequest, spaError{Error: "invalid_request", Description: "The body must be a JSON object with user and password."})
		return
	}
	if subtle.ConstantTimeCompare([]byte(in.User), []byte(spaUser)) != 1 ||
		subtle.ConstantTimeCompare([]byte(in.Password), []byte(spaPassword)) != 1 {
		writeJSON(c, http.StatusUnauthorized, spaError{Error: "invalid_credentials", Description: "Wrong user name or password."})
		return
	}
	t := spaTokens{
		AccessToken:  a.token(spaUser, time.Now()),
		RefreshToken: b64.EncodeToString(randomKey(32)),
		TokenType:    "Bearer",
		ExpiresIn:    int(spaTokenLifetime / time.Second),
	}
	a.lab.recordIssued(t.AccessToken, t.RefreshToken)
	writeJSON(c, http.StatusOK, t)
}

// bearer returns the user of the request's access token; when there is
// none, it has answered 401 (RFC 6750: no error code when the request
// carried no token, invalid_token when the token is bad or expired).
func (a *spaApp) bearer(c *ctx) (string, bool) {
	h := c.r.Header.Get("Authorization")
	if h == "" {
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="spa.test"`)
		writeJSON(c, http.StatusUnauthorized, spaError{Error: "unauthorized", Description: "No access token."})
		return "", false
	}
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if strings.EqualFold(scheme, "Bearer") && tok != "" && len(tok) <= 4096 {
		if s, ok := a.jwt.decode(tok, time.Now()); ok {
			return s.user, true
		}
	}
	c.w.Header().Set("WWW-Authenticate", `Bearer realm="spa.test", error="invalid_token"`)
	writeJSON(c, http.StatusUnauthorized, spaError{Error: "invalid_token", Description: "The access token is not valid."})
	return "", false
}

func (a *spaApp) me(c *ctx) {
	if !apiGet(c) {
		return
	}
	if user, ok := a.bearer(c); ok {
		writeJSON(c, http.StatusOK, map[string]string{"user": user})
	}
}

type spaOrder struct {
	ID    string `json:"id"`
	Total string `json:"total"`
}

func (a *spaApp) orders(c *ctx) {
	if !apiGet(c) {
		return
	}
	if _, ok := a.bearer(c); ok {
		writeJSON(c, http.StatusOK, map[string][]spaOrder{"orders": {
			{ID: "A-1001", Total: "19.90"}, {ID: "A-1002", Total: "5.00"}, {ID: "A-1003", Total: "42.50"},
		}})
	}
}

// report is a back-end service that is down: 503 to any caller. The
// app's error handler turns that into a logout (see spaJS).
func (a *spaApp) report(c *ctx) {
	if !apiGet(c) {
		return
	}
	writeJSON(c, http.StatusServiceUnavailable, spaError{Error: "unavailable", Description: "The report service is down."})
}

// logout is the bug on the server's side: it answers 204 and revokes
// nothing (the token holds no ID to revoke), so it checks no token either.
func (a *spaApp) logout(c *ctx) {
	if c.r.Method != http.MethodPost {
		c.w.Header().Set("Allow", "POST")
		writeJSON(c, http.StatusMethodNotAllowed, spaError{Error: "method_not_allowed"})
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// apiGet refuses what is not a GET or HEAD; false when it answered.
func apiGet(c *ctx) bool {
	if c.r.Method == http.MethodGet || c.r.Method == http.MethodHead {
		return true
	}
	c.w.Header().Set("Allow", "GET, HEAD")
	writeJSON(c, http.StatusMethodNotAllowed, spaError{Error: "method_not_allowed"})
	return false
}

func writeJSON(c *ctx, status int, v any) {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.Header().Set("X-Content-Type-Options", "nosniff")
	c.w.WriteHeader(status)
	if c.r.Method != http.MethodHead {
		_ = json.NewEncoder(c.w).Encode(v)
	}
}

func spaScript(c *ctx) {
	if c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		c.methodNotAllowed("GET, HEAD")
		return
	}
	c.w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	c.w.Header().Set("X-Content-Type-Options", "nosniff")
	if c.r.Method != http.MethodHead {
		_, _ = c.w.Write([]byte(spaJS))
	}
}

// spaJS is the app. It renders the login form, or the account view when
// sessionStorage holds the user and /api/me accepts the access token from
// localStorage. Route changes go through the history API, as a router's
// do: they also end the harness's submit and click steps, which wait for a
// navigation.
const spaJS = `(function () {
  "use strict";
  var USER_KEY = "` + spaUserKey + `";
  var app = document.getElementById("app");

  function api(method, path, token, body) {
    var headers = {};
    if (token) headers["Authorization"] = "Bearer " + token;
    var init = { method: method, headers: headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; },
        function () { return { status: r.status, data: null }; });
    });
  }

  // A random UI value (22 base64url characters): a negative control, not a token.
  function randomState() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function say(id, text) {
    var p = document.createElement("p");
    p.id = id;
    p.setAttribute("role", "alert");
    p.textContent = text;
    app.appendChild(p);
  }

  function showLogin(problem) {
    app.innerHTML = '<h2>Log in</h2><form id="login-form">' +
      '<p><label for="user">User</label> <input id="user" name="user" autocomplete="username"></p>' +
      '<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>' +
      '<p><button id="login-button" type="submit">Log in</button></p></form>';
    if (problem) say("login-error", problem);
    document.getElementById("login-form").addEventListener("submit", login);
  }

  function showAccount(user) {
    app.innerHTML = '<p id="welcome"></p>' +
      '<p><button id="load-orders" type="button">Your orders</button></p>' +
      '<form id="report-form"><button id="load-report" type="submit">Your yearly report</button></form><div id="orders-area"></div>' +
      '<p><a id="open-tab" href="/account" target="_blank">Open your account in a new tab</a></p>' +
      '<form id="logout-form"><button id="logout" type="submit">Log out</button></form>';
    document.getElementById("welcome").textContent = "Welcome, " + user;
    document.getElementById("load-orders").addEventListener("click", loadOrders);
    document.getElementById("report-form").addEventListener("submit", loadReport);
    document.getElementById("logout-form").addEventListener("submit", logout);
  }

  function login(e) {
    e.preventDefault();
    var user = document.getElementById("user").value;
    var password = document.getElementById("password").value;
    api("POST", "/api/login", null, { user: user, password: password }).then(function (r) {
      var t = r.data;
      if (r.status !== 200 || !t || !t.access_token) {
        showLogin((t && t.error_description) || "The login failed (" + r.status + ").");
        return;
      }
      localStorage.setItem("access_token", t.access_token);
      localStorage.setItem("refresh_token", t.refresh_token);
      sessionStorage.setItem(USER_KEY, JSON.stringify({
        access_token: t.access_token,
        token_type: t.token_type,
        profile: { sub: user },
        expires_at: Math.floor(Date.now() / 1000) + t.expires_in
      }));
      localStorage.setItem("ui_theme", "dark");
      sessionStorage.setItem("nav_state", randomState());
      return api("GET", "/api/me", t.access_token).then(function (me) {
        if (me.status !== 200 || !me.data) {
          showLogin("The new token was refused (" + me.status + ").");
          return;
        }
        showAccount(me.data.user);
        history.pushState(null, "", "/account");
      });
    }).catch(function (err) {
      showLogin("The login failed: " + err);
    });
  }

  function loadOrders() {
    var area = document.getElementById("orders-area");
    api("GET", "/api/orders", localStorage.getItem("access_token")).then(function (r) {
      var p = document.createElement("p");
      if (r.status === 200 && r.data && r.data.orders) {
        p.id = "orders";
        p.textContent = r.data.orders.length + " orders";
      } else {
        p.id = "orders-error";
        p.textContent = "Your orders could not be loaded (" + r.status + ").";
      }
      area.replaceChildren(p);
    });
  }

  // The second bug, as common: an error handler that takes any failed
  // API call for an expired session and wipes the storage, so a service
  // that is down logs the user out.
  function loadReport(e) {
    e.preventDefault();
    api("GET", "/api/report", localStorage.getItem("access_token")).then(function (r) {
      if (r.status >= 400) {
        localStorage.clear();
        sessionStorage.clear();
        showLogin("Your session has ended. Please log in again.");
        history.pushState(null, "", "/");
      } else {
        history.pushState(null, "", "/report");
      }
    });
  }

  // The bug: the app forgets the user it renders from, not the tokens it
  // sends, and the server's 204 revoked nothing.
  function logout(e) {
    e.preventDefault();
    api("POST", "/api/logout", localStorage.getItem("access_token")).catch(function () {}).then(function () {
      sessionStorage.removeItem(USER_KEY);
      showLogin();
      history.pushState(null, "", "/");
    });
  }

  var token = localStorage.getItem("access_token");
  if (!sessionStorage.getItem(USER_KEY) || !token) {
    showLogin();
  } else {
    app.innerHTML = '<p id="loading">Loading.</p>';
    api("GET", "/api/me", token).then(function (r) {
      if (r.status === 200 && r.data) showAccount(r.data.user); else showLogin();
    }, function () { showLogin(); });
  }
})();
`
