package check

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A hotspot lets a client out only once it has logged in (the HotSpot page
// of the manual, https://help.mikrotik.com/docs/spaces/ROS/pages/56459266/Hotspot).
// check's lab host on a hotspot LAN never logged in, so its way out was
// "not judged in the lab" (chk58). Where the export has a user of that
// hotspot, the lab's host now logs in as that user first (the login page's
// /login?username=..&password=.., as the hotspot-login scenario does), and
// the way out after the login is judged as any LAN's.
//
// An export leaves a hotspot user's password out unless it was made with
// show-sensitive (RouterOS 7) or hide-sensitive=no: the lab then gives
// the user a password of its own, said in a note, in a line of the lab
// router's configuration after the export's (not in the fix): the login
// proves the hotspot lets a logged-in client out, not that the user's
// real password is right.

// labHotspotPassword is the password the lab gives a hotspot user whose
// password the export hides.
const labHotspotPassword = "chrlab-login"

// hotspotLoginPrefix starts the path of a lab host's login to a hotspot.
const hotspotLoginPrefix = "hotspot-login:"

// hotspotLogin is the login the lab's host on a hotspot LAN makes.
type hotspotLogin struct {
	user, password string
	line           int    // the user's line in the export
	hidden         bool   // the export hides the password: the lab gives its own
	server         string // the hotspot's name
	at             string // the login page's address: the profile's hotspot-address, else the router's on the LAN
}

// hotspotLogins finds, for each enabled hotspot server of the export, the
// first enabled user that may log in there (server all, none named, or
// this server; no MAC or address bound, which the lab's host would not
// match), under a server profile whose login-by takes a password
// (http-pap or http-chap, the default cookie,http-chap included). A user
// whose password the export hides gets the lab's in a lab line.
func (p *Plan) hotspotLogins(f *export.File, keep func(*export.Command) bool) {
	p.hsLogins = map[string]hotspotLogin{}
	profiles := map[string]*export.Command{}
	var users []*export.Command
	for _, c := range f.Commands {
		if !keep(c) || c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip hotspot profile":
			profiles[c.Value("name")] = c
		case "ip hotspot user":
			users = append(users, c)
		}
	}
	for _, hs := range f.Commands {
		if !keep(hs) || hs.Verb != "add" || !enabled(hs) || hs.MenuPath() != "ip hotspot" || hs.Value("interface") == "" {
			continue
		}
		iface, name := hs.Value("interface"), hs.Value("name")
		if _, done := p.hsLogins[iface]; done {
			continue
		}
		prof := profiles[hs.Value("profile")] // nil: the default profile, cookie,http-chap
		if prof == nil {
			prof = &export.Command{}
		}
		if by := prof.Value("login-by"); by != "" && !strings.Contains(by, "http-pap") && !strings.Contains(by, "http-chap") {
			p.Notes = append(p.Notes, fmt.Sprintf("the hotspot %s (line %d) takes no password (login-by=%s): the lab's host does not log in, and the way out of %s is not judged", export.Quote(name), hs.Line, by, iface))
			continue
		}
		i := slices.IndexFunc(users, func(u *export.Command) bool {
			srv := u.Value("server")
			return u.Value("name") != "" && (srv == "" || srv == "all" || srv == name) && u.Value("mac-address") == "" && u.Value("address") == ""
		})
		if i < 0 {
			continue
		}
		u := users[i]
		l := hotspotLogin{user: u.Value("name"), password: u.Value("password"), line: u.Line, server: name}
		if a, err := netip.ParseAddr(prof.Value("hotspot-address")); err == nil {
			l.at = a.String()
		}
		if _, set := u.Get("password"); !set {
			l.password = labHotspotPassword
			on := fmt.Sprintf("/ip hotspot user set [ find where name=%s ] password=%s", export.Quote(l.user), labHotspotPassword)
			if !contains(p.labLines, on) {
				p.labLines = append(p.labLines, "# chrlab check: a password for the hotspot user the lab logs in as, which the export hides", on)
			}
			l.hidden = true
		}
		p.hsLogins[iface] = l
	}
}

// hotspotLoginSteps logs the lab's host on each hotspot LAN in, at the
// start of a phase (before its way out and the forwards' paths from that
// LAN are probed), when hotspotLogins found a user for it. Each phase logs
// in again: a second login from the same address replaces the session.
func (p *Plan) hotspotLoginSteps(c *Case, b *strings.Builder, phase string) {
	done := map[string]bool{}
	for si, s := range p.Segments {
		l, ok := p.hsLogins[s.Interface]
		client := c.segClient[si]
		if client == "" {
			client = c.Clients[s.Interface]
		}
		if !ok || client == "" || done[s.Interface] {
			continue
		}
		done[s.Interface] = true
		if phase == "before" {
			note := fmt.Sprintf("the lab's host on %s logs in to the hotspot %s as its user %s (line %d) before its paths are probed", s.Interface, export.Quote(l.server), export.Quote(l.user), l.line)
			if l.hidden {
				note += fmt.Sprintf("; the export hides the user's password, as an export does, so the lab gives it the password %s (a line of the lab's, not in the fix): the login shows that the hotspot lets a logged-in client out, not that the user's own password works", labHotspotPassword)
			}
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
		}
		at := l.at
		if at == "" {
			at = s.Prefix.Addr().String()
		}
		q := url.Values{"username": {l.user}, "password": {l.password}}
		p.add(c, b, Probe{Forward: -1, Path: hotspotLoginPrefix + s.Interface, Phase: phase, From: client, To: at + ":80", Kind: "http",
			HTTPPath: "/login?" + q.Encode()}, "")
	}
}
