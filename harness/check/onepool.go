package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// onePoolWarnings: an /ip pool of a single address that two PPP secrets
// or two DHCP servers (or one of each) take their clients' addresses
// from. A pool hands out each address to one client at a time: the first
// client holds it while connected (or for its lease), and the second gets
// none, so its PPP login fails with no address to give or its DHCP request
// goes unanswered (IP Pools page,
// https://help.mikrotik.com/docs/spaces/ROS/pages/24805498/IP+Pools; a PPP
// profile's or secret's remote-address takes a pool, PPP AAA page,
// https://help.mikrotik.com/docs/display/ROS/PPP+AAA) [verify] what
// RouterOS logs when a pool is empty.
// A pool that goes on into another (next-pool=) is not empty once its own
// address is out. The lab dials no PPP server and runs one DHCP client
// per segment, so no probe meets the second client (f71 C2).
func onePoolWarnings(live []*export.Command) []string {
	type pool struct {
		c    *export.Command
		addr string
	}
	pools := map[string]pool{}
	remote := map[string]string{} // profile name → remote-address
	var users []*export.Command
	for _, c := range live {
		switch c.MenuPath() + " " + c.Verb {
		case "ip pool add":
			rs, all := poolRanges(c.Value("ranges"))
			if all && len(rs) == 1 && rs[0].lo == rs[0].hi && c.Value("next-pool") == "" {
				pools[c.Value("name")] = pool{c, rs[0].lo.String()}
			}
		case "ppp profile add", "ppp profile set":
			name := c.Value("name")
			if name == "" {
				name = map[string]string{"*0": "default", "*FFFFFFFE": "default-encryption"}[c.Target]
			}
			if name == "" {
				name = c.Target
			}
			if v := c.Value("remote-address"); v != "" && name != "" {
				remote[name] = v
			}
		case "ppp secret add", "ip dhcp-server add":
			users = append(users, c)
		}
	}
	by := map[string][]string{}
	var order []string
	for _, c := range users {
		var name, who string
		if c.MenuPath() == "ip dhcp-server" {
			name = c.Value("address-pool")
			who = fmt.Sprintf("line %d's DHCP server %s (on %s)", c.Line, export.Quote(c.Value("name")), export.Quote(c.Value("interface")))
		} else {
			profile := c.Value("profile")
			if profile == "" {
				profile = "default"
			}
			name = c.Value("remote-address")
			who = fmt.Sprintf("line %d's PPP secret %s", c.Line, export.Quote(c.Value("name")))
			if name == "" {
				name = remote[profile]
				who += " (through profile " + export.Quote(profile) + ")"
			}
		}
		if _, ok := pools[name]; !ok {
			continue
		}
		if by[name] == nil {
			order = append(order, name)
		}
		by[name] = append(by[name], who)
	}
	var out []string
	for _, name := range order {
		if len(by[name]) < 2 {
			continue
		}
		pl := pools[name]
		out = append(out, fmt.Sprintf("the pool %s (line %d) holds one address, %s, and %s take their clients' addresses from it: once one client holds it, the next gets no address (its PPP login fails, its DHCP request goes unanswered) until the first lets it go; give the pool one address per client that may be connected at once (/ip pool set [ find where name=%s ] ranges=<first>-<last>), or give each PPP secret its own remote-address",
			export.Quote(name), pl.c.Line, pl.addr, joinAnd(by[name]), export.Quote(name)))
	}
	return out
}

// joinAnd joins words with commas and a last "and".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
