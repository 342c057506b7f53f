package config

// /ip firewall service-port: RouterOS's connection-tracking helpers (NAT
// helpers) for protocols that carry addresses in their payload. Every
// router has the same built-in entries; exports change them with
// "set sip disabled=yes" or "set ftp ports=21,2121". rosemu's firewall
// loads no conntrack helper, so the entries are stored and reported as
// not enforced.

const servicePortReason = "rosemu's firewall loads no connection-tracking helpers: FTP, SIP, PPTP and the others pass as plain TCP/UDP"

var servicePortMenu = &menu{
	path: "ip firewall service-port", noAdd: true, nameProp: "name", notEnforced: servicePortReason,
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
