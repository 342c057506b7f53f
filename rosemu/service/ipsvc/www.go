package ipsvc

import (
	"fmt"
	"html"
	"net/http"
)

// Marker is in every page the router's www service serves, so that a probe
// tells the router's own page from a web server behind it.
const Marker = "chrlab-rosemu-webfig"

// page answers every request with a login page shaped like RouterOS's
// WebFig: its title, the RouterOS version and the router's identity. It is
// rosemu's own minimal page, not WebFig: there is no configuration behind
// the form.
func (h *handlers) page(w http.ResponseWriter, r *http.Request) {
	id := html.EscapeString(h.e.Identity())
	ver := html.EscapeString(h.e.Version())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Server", "rosemu www (RouterOS "+h.e.Version()+" emulated)")
	w.Header().Set("Cache-Control", "no-cache")
	fmt.Fprintf(w, `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="generator" content="%s">
<title>RouterOS router configuration page</title>
</head>
<body>
<div id="identity">%s</div>
<h1>RouterOS v%s</h1>
<p>You have connected to a router: %s. Administrative access only.</p>
<form method="post" action="/jsproxy/login">
<label>Login: <input name="user" value="admin"></label>
<label>Password: <input name="password" type="password"></label>
<input type="submit" value="Login">
</form>
<p>%s</p>
</body>
</html>
`, Marker, id, ver, id, Marker)
}
