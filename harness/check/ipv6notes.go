package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// ipv6Notes names the export's IPv6 openings: a forward accept of
// /ipv6 firewall filter that names a port or an address (IPv6 has no NAT,
// a server is reached by its own global address and the forward chain is
// the whole "port forward"), or an /ipv6 firewall nat dst-nat. The check
// probes IPv4 only, so an export whose question is about IPv6 gets
// "forwards: none" and "no problem found"; the note says that these rules
// were read and not diagnosed, with their lines.
func (p *Plan) ipv6Notes(f *export.File, keep func(*export.Command) bool) {
	var lines []string
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ipv6 firewall filter":
			if c.Value("chain") != "forward" || c.Value("action") != "accept" && c.Value("action") != "" {
				continue
			}
			if c.Value("dst-port") == "" && c.Value("dst-address") == "" && c.Value("dst-address-list") == "" {
				continue
			}
		case "ipv6 firewall nat":
			if c.Value("action") != "dst-nat" && c.Value("action") != "netmap" {
				continue
			}
		default:
			continue
		}
		lines = append(lines, fmt.Sprint(c.Line))
	}
	if len(lines) == 0 {
		return
	}
	word, verb := "line", "opens"
	if len(lines) > 1 {
		word, verb = "lines", "open"
	}
	p.Notes = append(p.Notes, fmt.Sprintf("%s %s %s IPv6 connections to servers of the LAN (IPv6 has no NAT: the forward filter's accept is the forward); the check probes IPv4 only, so they are read, not diagnosed", word, strings.Join(lines, ", "), verb))
}
