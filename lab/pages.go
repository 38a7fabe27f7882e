package lab

import (
	"html"
	"net/http"
	"strconv"
)

func esc(s string) string { return html.EscapeString(s) }

func itoa(n int) string { return strconv.Itoa(n) }

const style = `body{font:16px/1.5 system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;color:#222}` +
	`header{border-bottom:1px solid #ccc;margin-bottom:1em}header small{color:#666}` +
	`code{background:#f2f2f2;padding:0 .2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}` +
	`#login-error,#state-lost,#error-message{color:#a00}`

// writePage writes a complete HTML page. body is already-escaped HTML.
func writePage(w http.ResponseWriter, status int, title, host, behaviour, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	page := `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + esc(title) + `</title>
<link rel="icon" href="data:,">
<style>` + style + `</style>
</head>
<body>
<header><p><a id="site-home" href="/">` + esc(host) + `</a> <small>` + esc(behaviour) + `</small></p></header>
<main>
` + body + `
</main>
</body>
</html>
`
	_, _ = w.Write([]byte(page))
}
