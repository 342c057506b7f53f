package config

// /ip proxy access and /ip socks access: the access rules of the web proxy
// and the SOCKS server (Web Proxy and SOCKS pages of the manual,
// https://help.mikrotik.com/docs/display/ROS/Web+Proxy and
// https://help.mikrotik.com/docs/display/ROS/SOCKS). Office and school
// exports carry them ("add action=deny dst-host=*.example.com", a 6.x
// export's "add action=deny src-address=!192.0.2.0/25"); neither server
// runs in rosemu, so the rules are stored and reported.

var (
	proxyAccessMenu = &menu{
		path: "ip proxy access", notEnforced: proxyReason, addOnly: []string{"place-before"},
		props: append(append([]*prop{
			// RouterOS 7 redirects too, to action-data (a 7.15.3
			// export: "add action=redirect action-data=grafana:3000
			// dst-host=grafana").
			{name: "action", parse: pProxyAction, def: "allow", show: true},
			onlyV7(sProp("action-data", "")),
		}, proxyMatchers()...), sProp("redirect-to", ""), comment, disabled),
		columns: []string{"src-address", "dst-host", "dst-port", "action"},
	}
	socksAccessMenu = &menu{
		path: "ip socks access", notEnforced: socksReason, addOnly: []string{"place-before"},
		// A 6.49.7 verbose export adds each rule with its unset matchers:
		// "add action=deny disabled=no !dst-address !dst-port
		// src-address=!95.154.216.128/25 !src-port".
		addUnsetAll: true,
		props: []*prop{
			eProp("action", "allow", "allow", "deny"),
			sProp("src-address", ""),
			sProp("dst-address", ""),
			sProp("src-port", ""),
			sProp("dst-port", ""),
			comment, disabled,
		},
		columns: []string{"src-address", "dst-address", "dst-port", "action"},
	}
)

// Both menus are placed by registry.go's init, after their servers' menus.

// pProxyAction is allow or deny, and in RouterOS 7 also redirect.
func pProxyAction(t *tx, name, v string) (string, error) {
	if v == "allow" || v == "deny" || v == "redirect" && (t == nil || t.r == nil || !t.v6()) {
		return v, nil
	}
	return "", errInvalid(name)
}

// proxyMatchers are what a web proxy rule matches a request by, in the
// access and direct lists alike.
func proxyMatchers() []*prop {
	return []*prop{
		sProp("src-address", ""),
		sProp("dst-address", ""),
		sProp("dst-host", ""),
		sProp("dst-port", ""),
		sProp("local-port", ""),
		sProp("method", ""),
		sProp("path", ""),
	}
}
