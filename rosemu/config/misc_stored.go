package config

// Further menus real exports carry that rosemu stores without enforcing
// (netwatch, which rosemu probes, is in netwatch.go): internet detection, static ARP entries and the hotspot
// profiles that v6 default configurations set.

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"

	"github.com/chrlab/chrlab/rosemu/script"
)

const (
	detectReason   = "rosemu runs no internet detection"
	arpNoMACReason = "a static ARP entry without a MAC address is stored: rosemu adds no such neighbour [verify] what RouterOS does with it"
	hotspotReason  = "rosemu runs no hotspot"
	// arpPublishedNoMACReason: the proxy ARP part is enforced, the
	// neighbour part cannot be.
	arpPublishedNoMACReason = "a published ARP entry without a MAC address: rosemu answers ARP for its address but adds no neighbour for it [verify] what RouterOS does with it"
	// netwatchThrReason: the netwatch settings rosemu's probes do not use.
	netwatchICMPReason = "rosemu's netwatch icmp probe sends echoes with the kernel's TTL and counts echo replies only: this setting is stored"
	netwatchThrReason  = "rosemu's netwatch judges a host by its probes' average and maximum time and loss: this setting is stored"
)

var (
	// netwatchMenu: the probe types and their options came with 7.4
	// ("Since 7.4, Netwatch functionality has been expanded, prior
	// versions only support simple ICMP probes", Netwatch page,
	// https://help.mikrotik.com/docs/display/ROS/Netwatch), so 7.0-7.3
	// refuse them as 6 does (forum41 D3).
	netwatchMenu = &menu{
		path: netwatchTable, nameProp: "name", readonly: netwatchReadonly,
		props: []*prop{
			{name: "host", parse: pHost, required: true},
			onlyV7(sProp("name", "")),
			withParse("interval", "10s", pTime),
			onlyV6(withParse("timeout", "1s", pTime)),
			onlyV7(withParse("timeout", "3s", pTime)),
			since74(onlyV7(eProp("type", "simple", "simple", "icmp", "tcp-conn", "http-get", "https-get", "dns"))),
			since74(onlyV7(withParse("port", "0", pInt(0, 65535)))),
			onlyV7(withParse("src-address", "", pAnyIP)),
			since74(onlyV7(iProp("packet-count", "10", 1, 1<<30))),
			since74(onlyV7(sProp("packet-interval", "50ms"))),
			since74(onlyV7(iProp("packet-size", "54", 1, 65535))),
			since74(onlyV7(sProp("thr-avg", "100ms"))),
			since74(onlyV7(sProp("thr-max", "1s"))),
			since74(onlyV7(sProp("thr-loss-count", "4294967295"))),
			since74(onlyV7(sProp("thr-loss-percent", "85.0%"))),
			// Thresholds and switches of later 7.x exports (a 7.20.4
			// export writes ignore-initial-down=yes
			// ignore-initial-up=yes). rosemu judges ICMP probes by
			// average, maximum and loss; the others are stored.
			// [verify] their defaults and the versions that brought them.
			since74(onlyV7(notEnforcedProp(sProp("thr-jitter", "1s"), netwatchThrReason))),
			since74(onlyV7(notEnforcedProp(sProp("thr-stdev", "250ms"), netwatchThrReason))),
			since74(onlyV7(notEnforcedProp(sProp("thr-http-time", "10s"), netwatchThrReason))),
			// early-failure-detection and early-success-detection
			// are 7.20 (the community.routeros Ansible collection's
			// table of API paths; ver46 D3).
			sinceV7(20, notEnforcedProp(bProp("early-failure-detection", "no"), netwatchThrReason)),
			sinceV7(20, notEnforcedProp(bProp("early-success-detection", "no"), netwatchThrReason)),
			// Probe options of the 7.x Netwatch page (forum41 D2):
			// tcp-conn's pass/fail time is enforced (NetwatchEntry.
			// ThrTCPConn); the icmp probe's ttl and
			// accept-icmp-time-exceeded are stored (rosemu's echo
			// sends the kernel's TTL and counts echo replies only),
			// and the http(s)-get ones belong to probes rosemu does
			// not run. ttl and accept-icmp-time-exceeded are 7.16 (the
			// Ansible table; ver46 D3); [verify] the others' defaults
			// and first 7.x.
			since74(withParse("thr-tcp-conn-time", "10s", pTime)),
			sinceV7(16, notEnforcedProp(iProp("ttl", "255", 1, 255), netwatchICMPReason)),
			sinceV7(16, notEnforcedProp(bProp("accept-icmp-time-exceeded", "no"), netwatchICMPReason)),
			since74(iProp("http-code-min", "100", 0, 999)),
			since74(iProp("http-code-max", "299", 0, 999)),
			since74(bProp("check-certificate", "no")),
			// 7.17 (the Ansible table): taken from 7.0 before, a 7.16
			// lab kept a first up-script from running on a line the
			// real 7.16 refuses (ver46 D3).
			sinceV7(17, bProp("ignore-initial-up", "no")),
			sinceV7(17, bProp("ignore-initial-down", "no")),
			onlyV7(sProp("startup-delay", "5m")),
			onlyV7(withParse("start-delay", "3s", pTime)),
			since74(onlyV7(sProp("http-codes", ""))),
			// The dns probe's server and record type: 7.16 (the
			// Ansible table).
			sinceV7(16, sProp("record-type", "")),
			sinceV7(16, sProp("dns-server", "")),
			onlyV7(withParse("test-script", "", pNetwatchScript)),
			withParse("up-script", "", pNetwatchScript),
			withParse("down-script", "", pNetwatchScript),
			comment, disabled,
		},
		columns: []string{"host", "type", "interval"},
	}
	detectInternetMenu = &menu{
		path: "interface detect-internet", single: true, notEnforced: detectReason,
		props: []*prop{
			withParse("detect-interface-list", "none", pIfList),
			withParse("lan-interface-list", "none", pIfList),
			withParse("wan-interface-list", "none", pIfList),
			withParse("internet-interface-list", "none", pIfList),
		},
	}
	arpMenu = &menu{
		// Static entries become the kernel's permanent neighbours
		// (kernel/neigh.go); a published one's address is answered for
		// on its interface (proxy ARP for that address).
		path: "ip arp",
		props: []*prop{
			{name: "address", parse: pIP, required: true},
			// 00:00:00:00:00:00 unless given (ARP page of the manual,
			// https://help.mikrotik.com/docs/display/ROS/ARP), and an
			// export leaves it out then: a 6.48.6 RB750Gr3 export writes
			// "/ip arp add address=192.168.66.14 interface=lan".
			withParse("mac-address", "00:00:00:00:00:00", pMAC),
			{name: "interface", parse: pInterface, required: true},
			// published: the router answers ARP for the address on the
			// interface (a Linux proxy neighbour, kernel/neigh.go).
			{name: "published", parse: pBool, def: "no", isBool: true},
			comment, disabled,
		},
		columns: []string{"address", "mac-address", "interface"},
		commands: map[string]menuCommand{
			"make-static": {
				syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
				run:    arpMakeStatic,
			},
		},
		// complete and, on 7.x, status of a learnt entry (the kernel's
		// neighbour state: reachable, stale, delay, probe, incomplete,
		// failed); a static entry is permanent. [verify] RouterOS's
		// status words beyond reachable, stale and failed.
		readonly: func(t *tx, it *item) []Prop {
			st, complete := "permanent", it.props["mac-address"] != "" && it.props["mac-address"] != "00:00:00:00:00:00"
			if isLearnedARP(it) {
				st, complete = it.props["~status"], it.props["~complete"] == "yes"
			}
			ps := []Prop{{"complete", boolAPI(complete)}}
			if !t.v6() {
				ps = append(ps, Prop{"status", st})
			}
			return ps
		},
	}
	hotspotProfileMenu = &menu{
		path: "ip hotspot profile", nameProp: "name", notEnforced: hotspotReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("hotspot-address", "0.0.0.0"),
			sProp("dns-name", ""),
			// RouterBOARD exports (6.47.9 to 7.16.2) write the default
			// profile's "set [ find default=yes ] html-directory=hotspot"
			// (or flash/hotspot): a value given is kept (realcheck38).
			keptGiven(sProp("html-directory", "hotspot")),
			sProp("html-directory-override", ""),
			sProp("login-by", "cookie,http-chap"),
			sProp("rate-limit", ""),
			sProp("smtp-server", "0.0.0.0"),
			sProp("split-user-domain", "no"),
			sProp("use-radius", "no"),
			sProp("http-cookie-lifetime", "3d"),
			sProp("ssl-certificate", "none"),
			// Whether HTTPS requests are redirected to the login page with
			// login-by=https (a 6.45 café export writes https-redirect=no;
			// HotSpot page of the manual).
			bProp("https-redirect", "yes"),
			// login-by=trial: the user profile trial users get and how
			// long they may stay (a v7 café hotspot's export).
			sProp("trial-user-profile", "default"),
			sProp("trial-uptime-limit", "30m"),
			sProp("trial-uptime-reset", "1d"),
			sProp("http-proxy", "0.0.0.0:0"),
			sProp("install-hotspot-queue", "no"),
			// mac-as-username (the default) or mac-as-username-and-password,
			// as hotspot exports write them (a 7.10.2 L009's); the values
			// were "as-username..." here and refused.
			eProp("mac-auth-mode", "mac-as-username", "mac-as-username", "mac-as-username-and-password"),
			sProp("mac-auth-password", ""),
			sProp("nas-port-type", "wireless-802.11"),
			sProp("radius-accounting", "yes"),
			sProp("radius-interim-update", "received"),
			sProp("radius-default-domain", ""),
			sProp("radius-location-id", ""),
			sProp("radius-location-name", ""),
			sProp("radius-mac-format", "XX:XX:XX:XX:XX:XX"),
		},
		defaults: []map[string]string{{"name": "default"}},
		check:    checkUniqueName("ip hotspot profile", "profile with such name already exists"),
		readonly: defaultFlag,
		columns:  []string{"name", "html-directory"},
	}
	hotspotUserProfileMenu = &menu{
		path: "ip hotspot user profile", nameProp: "name", notEnforced: hotspotReason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("address-pool", "none"),
			sProp("idle-timeout", "none"),
			sProp("keepalive-timeout", "2m"),
			sProp("status-autorefresh", "1m"),
			sProp("shared-users", "1"),
			sProp("rate-limit", ""),
			sProp("transparent-proxy", "no"),
			sProp("add-mac-cookie", "yes"),
			sProp("mac-cookie-timeout", "3d"),
			sProp("session-timeout", "0s"),
			sProp("on-login", ""),
			sProp("on-logout", ""),
			// The queue a user gets and the list its address joins.
			sProp("address-list", ""),
			sProp("insert-queue-before", ""),
			sProp("parent-queue", ""),
			sProp("queue-type", ""),
			sProp("incoming-filter", ""),
			sProp("outgoing-filter", ""),
			sProp("incoming-packet-mark", ""),
			sProp("outgoing-packet-mark", ""),
			sProp("open-status-page", "always"),
			sProp("advertise", "no"),
		},
		defaults: []map[string]string{{"name": "default"}},
		check:    checkUniqueName("ip hotspot user profile", "profile with such name already exists"),
		readonly: defaultFlag,
		columns:  []string{"name", "shared-users", "rate-limit"},
	}
)

// scepServerMenu is /certificate scep-server: the SCEP servers that issue
// certificates (to CAPsMAN's CAPs, in real exports of 6 and 7).
var scepServerMenu = &menu{
	path: "certificate scep-server", notEnforced: certReason,
	props: []*prop{
		{name: "ca-cert", parse: pNonEmpty, required: true},
		sProp("next-ca-cert", ""),
		{name: "path", parse: pNonEmpty, required: true},
		iProp("days-valid", "365", 1, 36500),
		withParse("request-lifetime", "5m", pTime),
		comment, disabled,
	},
	columns: []string{"ca-cert", "path", "days-valid"},
}

// trafficMonitorMenu is /tool traffic-monitor: scripts run when an
// interface's traffic crosses a threshold.
var trafficMonitorMenu = &menu{
	path: "tool traffic-monitor", nameProp: "name", notEnforced: "rosemu runs no traffic monitor: its scripts never run",
	props: []*prop{
		{name: "name", parse: pChain, required: true},
		{name: "interface", parse: pInterface, required: true},
		iProp("threshold", "0", 0, 1<<62),
		eProp("traffic", "transmitted", "transmitted", "received"),
		eProp("trigger", "above", "above", "always", "below"),
		sProp("on-event", ""),
		comment, disabled,
	},
	check:   checkUniqueName("tool traffic-monitor", "traffic monitor with such name already exists"),
	columns: []string{"name", "interface", "traffic", "threshold"},
}

func init() {
	insertMenus("certificate settings", scepServerMenu)
	insertMenus("tool netwatch", trafficMonitorMenu)
	insertMenus("interface list member", detectInternetMenu)
	insertMenus("ip address", arpMenu)
	insertMenus("interface list", hotspotProfileMenu, hotspotUserProfileMenu)
	insertMenus("system script", netwatchMenu)
}

// scepOTPMenu is /certificate scep-server otp: one-time passwords a SCEP
// client enrols with. "generate" makes one and gives it back, as scripts
// that enrol CAPs take it ([/certificate scep-server otp generate
// minutes-valid=1 as-value]->"password"); rosemu runs no SCEP server, so
// the password is made and never asked for. Source: the Certificates page
// of the manual (SCEP server) [verify] the other fields RouterOS returns.
var scepOTPMenu = &menu{
	path: "certificate scep-server otp", notEnforced: certReason, readOnly: true,
	props: []*prop{sProp("password", ""), sProp("minutes-valid", "")},
	commands: map[string]menuCommand{
		"generate": {syntax: &script.Syntax{Params: map[string]bool{"minutes-valid": true}, Flags: map[string]bool{"as-value": true}}, run: scepOTPGenerate},
	},
}

func init() { insertMenus("certificate scep-server", scepOTPMenu) }

func scepOTPGenerate(t *tx, req *request) (result, error) {
	if v, ok := argValue(req.args, "minutes-valid"); ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 1<<20 {
			return result{}, errInvalid("minutes-valid")
		}
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return result{}, err
	}
	pw := hex.EncodeToString(b)
	t.r.sys.scriptGap = "otp generate: " + certReason
	arr := &script.Array{Keys: map[string]script.Value{"password": script.Str(pw)}}
	return result{val: script.Value{Kind: script.KindArray, Arr: arr}, text: "password: " + pw + "\n"}, nil
}

// arpStored says why a static ARP entry is stored rather than made a
// neighbour, "" when it is one.
func arpStored(it *item) string {
	if mac := it.props["mac-address"]; mac == "" || mac == "00:00:00:00:00:00" {
		if it.props["published"] == "yes" {
			return arpPublishedNoMACReason
		}
		return arpNoMACReason
	}
	return ""
}

// since74 is a netwatch property of the 7.4 probes.
func since74(p *prop) *prop { return sinceV7(4, p) }

// sinceV7 marks a property that RouterOS 7 has from 7.minor on (and 6
// has not).
func sinceV7(minor int, p *prop) *prop { p = onlyV7(p); p.sinceMinor7 = minor; return p }
