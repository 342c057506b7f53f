package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// /ip firewall service-port: RouterOS's connection-tracking helpers (NAT
// helpers) for protocols that carry addresses in their payload. Every
// router has the same built-in entries; exports change them with
// "set sip disabled=yes" or "set ftp ports=21,2121". The enabled ones that
// Linux has a helper for (ftp, tftp, irc, sip, h323, pptp) are enforced:
// the kernel assigns the helper to new connections to their ports
// (kernel.Helper). rtsp has no helper in Linux, and udplite, dccp and sctp
// are protocols Linux always tracks: those entries are stored.

var servicePortMenu = &menu{
	path: "ip firewall service-port", noAdd: true, nameProp: "name",
	props: []*prop{
		{name: "name"},
		withParse("ports", "", pPorts),
		// RouterOS 6 has them too: a 6.43 verbose export writes "set sip
		// disabled=no ports=5060,5061 sip-direct-media=yes sip-timeout=1h".
		bProp("sip-direct-media", "yes"),
		withParse("sip-timeout", "1h", pTime),
		disabled,
	},
	defaults: []map[string]string{
		{"name": "ftp", "ports": "21"},
		{"name": "tftp", "ports": "69"},
		{"name": "irc", "ports": "6667"},
		{"name": "h323"},
		{"name": "sip", "ports": "5060,5061"},
		{"name": "pptp"},
		{"name": "udplite"},
		{"name": "dccp"},
		{"name": "sctp"},
		{"name": "rtsp", "ports": "554", "disabled": "yes"},
	},
	check:     checkServicePort,
	exportRef: func(it *item) string { return it.props["name"] },
	columns:   []string{"name", "ports"},
}

// checkServicePort refuses ports on the helpers that have none: RouterOS
// keeps ports only for the helpers of TCP or UDP services.
func checkServicePort(t *tx, it *item) error {
	d := defaultOf(menuByPath("ip firewall service-port"), it)
	if d == nil {
		return nil
	}
	if _, has := d["ports"]; !has && it.props["ports"] != "" {
		return errInvalid("ports")
	}
	if _, has := d["ports"]; has && it.props["ports"] == "" {
		return errInvalid("ports")
	}
	return nil
}

// servicePortHelpers are the enabled service ports with a Linux helper, for
// the kernel.
func servicePortHelpers(m *model) []kernel.Helper {
	have := kernel.HelperNames()
	var out []kernel.Helper
	for _, it := range m.tables["ip firewall service-port"] {
		name := it.props["name"]
		if it.disabled() || !slices.Contains(have, name) {
			continue
		}
		h := kernel.Helper{Name: name}
		for _, p := range strings.Split(it.props["ports"], ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil && n > 0 && n < 65536 {
				h.Ports = append(h.Ports, uint16(n))
			}
		}
		out = append(out, h)
	}
	return out
}

// servicePortStored says why a service port rosemu has no helper for is
// stored: rtsp (no Linux helper), udplite, dccp and sctp (Linux tracks
// these protocols whatever the entry says).
func servicePortStored(name string) string {
	switch name {
	case "rtsp":
		return "rosemu's kernel has no RTSP connection-tracking helper: the rtsp service port is stored"
	case "udplite", "dccp", "sctp":
		return "Linux tracks " + name + " connections whatever the entry says: the " + name + " service port is stored"
	}
	return ""
}

// servicePortUse counts, for NotEnforced, the changed service ports that
// are stored.
func servicePortUse(m *model) []NotEnforcedItem {
	reasons := map[string]int{}
	var order []string
	for _, it := range m.tables["ip firewall service-port"] {
		why := servicePortStored(it.props["name"])
		if why == "" || len(changedDefaults(servicePortMenu, it)) == 0 {
			continue
		}
		if reasons[why] == 0 {
			order = append(order, why)
		}
		reasons[why]++
	}
	var out []NotEnforcedItem
	for _, r := range order {
		out = append(out, NotEnforcedItem{Path: "/ip firewall service-port", Reason: r, Count: reasons[r]})
	}
	return out
}
