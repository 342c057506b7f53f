package check

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Signs of compromise (rc28 D0). Routers taken through the WinBox exploit
// of 2018 (CVE-2018-14847) and the mass infections after it carry the same
// few lines: a scheduler that every minute runs a script which fetches a
// .rsc from the attacker's host and imports it (remote code execution for
// as long as the host answers), the SOCKS proxy turned on at an odd port
// with max-connections=500, and MikroTik's update hosts pointed at
// 127.0.0.1 in /ip dns static so the owner cannot upgrade the hole away.
// check read such an export as "no problem found". These are warnings from
// the export alone, never with a fix line: the cure is a clean
// reinstall and new passwords, not a rule; and such an export is never
// run in a lab whose scheduler could fetch from outside.

// fetchWords and importWords find a script that downloads a file and
// runs it as configuration: "/tool fetch url=..." then
// "/import file-name=...". The import is the root menu's, "/import" or
// "import" where a command starts; another menu's import is not: the
// manual's script that renews the CA store fetches cacert.pem and runs
// "/certificate import", and rc31's RB5009 was told to reinstall for it
// (chk57 D11).
var (
	fetchWords  = regexp.MustCompile(`(?i)\btool\s+fetch\b`)
	importWords = regexp.MustCompile(`(?i)(?:^|[\r\n;{\[(])\s*/?import\s|\s/import\s`)
	updateHost  = regexp.MustCompile(`(?i)^(upgrade|download|update)\d*\.mikrotik\.com\.?$`)
)

// scriptExplained is how a script that fetches and imports explains
// itself, "" when it does not: its comment, or the first comment line of
// its source, cut to 60 characters. The infections' scripts (named
// script1, upgrader, fetch) carry neither; a user's own loader usually
// says what it loads.
func scriptExplained(c *export.Command) string {
	why := strings.TrimSpace(c.Value("comment"))
	if why == "" {
		for _, l := range strings.Split(c.Value("source"), "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "#") {
				why = strings.TrimSpace(strings.TrimLeft(l, "#"))
				if why != "" {
					break
				}
			}
		}
	}
	if r := []rune(why); len(r) > 60 {
		why = string(r[:60]) + "..."
	}
	if why == "" {
		return ""
	}
	return "its comment: " + strconv.Quote(why)
}

// CompromiseSigns are the warnings among CompromiseWarnings that are
// signs of compromise, not risks: what makes the router untrustworthy
// whatever the diagnosis says.
func CompromiseSigns(warnings []string) []string {
	var out []string
	for _, w := range warnings {
		if strings.HasPrefix(w, "sign of compromise") {
			out = append(out, w)
		}
	}
	return out
}

// fetchesAndImports reports whether a script's text fetches a file and
// imports one.
func fetchesAndImports(text string) bool {
	return fetchWords.MatchString(text) && importWords.MatchString(text)
}

// CompromiseWarnings are the export's signs of compromise, each naming
// its line.
func (p *Plan) CompromiseWarnings() []string {
	f := p.export
	keep := p.keeper(f)
	var out []string
	scripts := map[string]*export.Command{} // name → a script that fetches and imports
	for _, c := range f.Commands {
		if !keep(c) || c.Verb != "add" || c.MenuPath() != "system script" {
			continue
		}
		if fetchesAndImports(c.Value("source")) {
			if why := scriptExplained(c); why != "" {
				// A script its author explained (an ad-block list loader,
				// a config pull from the owner's own server) is a risk,
				// not a sign: rc35 C4, two routers whose commented StopAD
				// loader was read as an infection and told to reinstall.
				out = append(out, fmt.Sprintf("risk: line %d, script %q (%s) downloads a file with /tool fetch and runs it with /import: whoever serves or alters that file runs any command on this router; keep it only if you trust its source, fetched over https with check-certificate=yes", c.Line, c.Value("name"), why))
				continue
			}
			scripts[c.Value("name")] = c
			out = append(out, fmt.Sprintf("sign of compromise: line %d, script %q downloads a file with /tool fetch and runs it with /import: whoever serves that file runs any command on this router (the mark of the WinBox-exploit infections); reinstall the router and change every password, a rule does not undo it", c.Line, c.Value("name")))
		}
	}
	for _, c := range f.Commands {
		if !keep(c) || c.Verb != "add" || c.MenuPath() != "system scheduler" || !enabled(c) {
			continue
		}
		ev := c.Value("on-event")
		switch s := scripts[strings.TrimSpace(ev)]; {
		case s != nil:
			out = append(out, fmt.Sprintf("sign of compromise: line %d, scheduler %q runs that script (line %d) every %s", c.Line, c.Value("name"), s.Line, cmp.Or(c.Value("interval"), "time the router starts")))
		case fetchesAndImports(ev):
			out = append(out, fmt.Sprintf("sign of compromise: line %d, scheduler %q downloads a file with /tool fetch and runs it with /import every %s: whoever serves that file runs any command on this router; reinstall the router and change every password", c.Line, c.Value("name"), cmp.Or(c.Value("interval"), "time the router starts")))
		}
	}
	for _, c := range f.Commands {
		if !keep(c) || c.MenuPath() != "ip socks" || c.Verb != "set" {
			continue
		}
		port := cmp.Or(c.Value("port"), "1080")
		if c.Value("enabled") == "yes" {
			out = append(out, fmt.Sprintf("sign of compromise: line %d, the SOCKS proxy is on (port %s): an open proxy that lends this router's address to others, a setting the infections add; turn it off unless you set it up: /ip socks set enabled=no", c.Line, port))
			continue
		}
		// A port or max-connections of its own is the sign; the defaults
		// (1080, 200; the SOCKS page of the manual) are not: every
		// "export verbose" of RouterOS 7 writes them for an untouched
		// proxy, and a clean hAP ac2's was told to reinstall (rc32 C1).
		if port != "1080" || cmp.Or(c.Value("max-connections"), "200") != "200" {
			out = append(out, fmt.Sprintf("sign of compromise: line %d, the SOCKS proxy is off but was set up (port %s, max-connections %s): the infections set it so, and their scripts turn it on", c.Line, port, cmp.Or(c.Value("max-connections"), "200")))
		}
	}
	for _, c := range f.Commands {
		if !keep(c) || c.Verb != "add" || c.MenuPath() != "ip dns static" || !enabled(c) || !updateHost.MatchString(c.Value("name")) {
			continue
		}
		to := c.Value("address")
		if to == "" {
			to = cmp.Or(c.Value("cname"), cmp.Or(c.Value("forward-to"), "another answer"))
		}
		out = append(out, fmt.Sprintf("sign of compromise: line %d, /ip dns static points MikroTik's update host %s at %s: the router cannot fetch upgrades (the infections add it to keep their way in)", c.Line, c.Value("name"), to))
	}
	return append(out, p.hijackWarnings(f, keep)...)
}

// hijackWarnings finds the infections' theft of mining connections: a
// firewall rule lists the destinations of connections whose payload
// carries a text (content=mining.submit, the Stratum protocol's share
// submission), and a dst-nat sends every connection to a listed
// destination to a host on the internet (the attackers' pool) instead.
// A dst-nat to a LAN server fed by such a list is no sign: that is a
// transparent proxy of the user's own. Before, check listed the rule as
// a forward to an internet server and said "not probed" (rc28 D0).
func (p *Plan) hijackWarnings(f *export.File, keep func(*export.Command) bool) []string {
	byContent := map[string]*export.Command{} // list → the rule that fills it by payload
	for _, c := range f.Commands {
		if keep(c) && enabled(c) && c.Verb == "add" && c.Value("action") == "add-dst-to-address-list" && c.Value("content") != "" {
			switch c.MenuPath() {
			case "ip firewall mangle", "ip firewall filter", "ip firewall raw":
				byContent[c.Value("address-list")] = c
			}
		}
	}
	var out []string
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall nat" || c.Value("chain") != "dstnat" || c.Value("action") != "dst-nat" {
			continue
		}
		filler := byContent[c.Value("dst-address-list")]
		to, err := toAddr(c)
		if filler == nil || err != nil || needsNAT(to) || !to.IsGlobalUnicast() || p.routerHolds(to) {
			continue
		}
		out = append(out, fmt.Sprintf("sign of compromise: line %d, dst-nat sends every connection to a destination that line %d lists by its payload (content=%s) to %s:%s, a host on the internet: the infections hijack the LAN's mining connections to their own pool this way", c.Line, filler.Line, filler.Value("content"), to, cmp.Or(c.Value("to-ports"), "the same port")))
	}
	return out
}
