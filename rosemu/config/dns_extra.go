package config

import "time"

// dnsExtraProps are the /ip dns properties beyond the resolver's basics:
// those rosemu's DNS service does not act on are accepted with RouterOS's
// checks, exported, and reported as not enforced with the reason. DNS over
// HTTPS exists since RouterOS 6.47 (its changelog [verify]), so its
// properties are in both major versions from there; older 6.x refuse them
// (ver46 D15: 6.40.9 took use-doh-server and resolved over DoH). The DNS
// service enforces them (rosemu/service/dns/doh.go).
const dohSince6 = 47

var dnsExtraProps = []*prop{
	{name: "max-udp-packet-size", parse: pInt(50, 65507), def: "4096", show: true, notEnforced: "rosemu's DNS service sizes its UDP answers itself"},
	{name: "max-concurrent-queries", parse: pInt(1, 1<<30), def: "100", show: true, notEnforced: "rosemu's DNS service sets no limit on concurrent queries"},
	{name: "max-concurrent-tcp-sessions", parse: pInt(1, 1<<30), def: "20", show: true, notEnforced: "rosemu's DNS service sets no limit on TCP sessions"},
	{name: "use-doh-server", parse: pString, def: "", show: true, sinceMinor6: dohSince6},
	{name: "verify-doh-cert", parse: pBool, def: "no", show: true, isBool: true, sinceMinor6: dohSince6},
	{name: "doh-max-server-connections", parse: pInt(1, 1<<30), def: "5", show: true, sinceMinor6: dohSince6},
	{name: "doh-max-concurrent-queries", parse: pInt(1, 1<<30), def: "50", show: true, sinceMinor6: dohSince6},
	{name: "doh-timeout", parse: pDuration(time.Millisecond, time.Hour), def: "5s", show: true, sinceMinor6: dohSince6},
	// How much longer than the answer's TTL an address a static entry's
	// address-list= took stays in the list (dnslist.go).
	onlyV7(&prop{name: "address-list-extra-time", parse: pTime, def: "0s", show: true}),
	onlyV7(&prop{name: "mdns-repeat-ifaces", parse: pString, def: "", show: true, notEnforced: "rosemu repeats no mDNS"}),
}
