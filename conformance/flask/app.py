"""Flask's default session: the session data itself, signed by itsdangerous,
in the cookie "session" (payload.timestamp.signature). Nothing is kept on
the server, so session.clear() at logout only asks the browser to drop the
cookie: a copy taken before logout stays valid.

Usage: python3 app.py
Listens on a free port of 127.0.0.1 (plain http) and prints one JSON line
{"http": PORT} on standard output once it accepts.
"""
import json
import sys

from flask import Flask, redirect, request, session
from markupsafe import escape
from werkzeug.serving import make_server

app = Flask(__name__)
app.secret_key = "conformance-test-secret"


@app.get("/login")
def login_form():
    return ('<!doctype html><title>Sign in</title>'
            '<form id="login-form" method="post" action="/login">'
            '<input id="user" name="user"> <input id="password" name="password" type="password">'
            '<button type="submit">Sign in</button></form>')


@app.post("/login")
def login():
    session["user"] = request.form.get("user") or "anonymous"
    return redirect("/account", code=303)


@app.get("/account")
def account():
    if "user" not in session:
        return redirect("/login")
    # A write on every visit: every response re-signs the cookie with a new value.
    session["visits"] = session.get("visits", 0) + 1
    return ('<!doctype html><title>Account</title>'
            f'<p id="welcome">Welcome, {escape(session["user"])} (visit {session["visits"]})</p>'
            '<form id="logout-form" method="post" action="/logout">'
            '<button id="logout" type="submit">Sign out</button></form>')


@app.post("/logout")
def logout():
    session.clear()
    return redirect("/login", code=303)


if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(json.dumps({"http": server.server_port}), flush=True)
    sys.stdout.flush()
    server.serve_forever()
