package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /ip dhcp-server menus (https://help.mikrotik.com/docs/spaces/ROS/pages/24805500/DHCP):
// servers, their networks, static leases, options and option sets. The DHCP
// server service (rosemu/service/dhcpd) answers clients on the wire; the
// engine decides which address a client gets (its static lease, its current
// lease, the address it asks for if free, else the highest free address of
// the server's pool chain) and keeps the leases: static ones are
// configuration, the ones handed out of a pool are dynamic items of
// /ip dhcp-server lease, never exported, removed when they expire.

const (
	dhcpServerTable  = "ip dhcp-server"
	dhcpNetworkTable = "ip dhcp-server network"
	dhcpLeaseTable   = "ip dhcp-server lease"
)

// offerHold is how long an offered address stays reserved for the client
// it was offered to while the client has not requested it.
const offerHold = 30 * time.Second

var dhcpServerMenu = &menu{
	path: "ip dhcp-server", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pItemName},
		{name: "interface", parse: pInterface, required: true},
		{name: "address-pool", parse: pAddressPool, def: "static-only", show: true},
		{name: "lease-time", parse: pLeaseTime, def: "30m", show: true},
		{name: "authoritative", parse: pEnum("yes", "no", "after-2sec-delay", "after-10sec-delay"), def: "yes", show: true},
		// add-arp: each bound lease is a neighbour entry on the server's
		// interface (leaseARP), which an arp=reply-only interface needs.
		{name: "add-arp", parse: pBool, def: "no", isBool: true},
		{name: "always-broadcast", parse: pBool, def: "no", isBool: true, notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "bootp-support", parse: pEnum("none", "static", "dynamic"), def: "static", notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "conflict-detection", parse: pBool, def: "yes", isBool: true, notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "lease-script", parse: pLeaseScript},
		{name: "use-radius", parse: pEnum("yes", "no", "accounting"), def: "no", notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "dhcp-option-set", parse: pNonEmpty, def: "none", notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "relay", parse: pIP, def: "0.0.0.0", notEnforced: "the lab has no DHCP relay: a server for a relay answers no request (it does not serve the clients on its interface)"},
		{name: "src-address", parse: pIP, def: "0.0.0.0", notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "delay-threshold", parse: pNonEmpty, def: "none", notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "address-lists", parse: pString},
		// RADIUS Framed-Route as classless static routes (DHCP page of
		// the manual, "use-framed-as-classless", default yes).
		{name: "use-framed-as-classless", parse: pBool, def: "yes", isBool: true, notEnforced: "rosemu sends no RADIUS requests: no Framed-Route becomes a classless route"},
		// The server address a client is given for the next step of its
		// boot (siaddr); RouterOS 7 exports write it with the server's
		// own address.
		{name: "server-address", parse: pIP, def: "0.0.0.0", major: 7, notEnforced: "the lab's DHCP server does not set the next-server address (siaddr) from it"},
		// Where the server puts the simple queues of its leases (a 7.16.2
		// RB5009 export: "add address-pool=default-dhcp
		// insert-queue-before=*1 interface=bridge name=defconf", the
		// queue named by its id). rosemu places a lease's queue by the
		// lease's own setting (leaseQueues).
		// RouterOS 6 has it too: 6.48.6 and 6.49.8 exports of an ISP's
		// routers write "insert-queue-before=aty" (a queue's name).
		{name: "insert-queue-before", parse: pString, notEnforced: leaseQueueServerStored},
		comment, disabled,
	},
	check:    checkDHCPServer,
	columns:  []string{"name", "interface", "address-pool", "lease-time"},
	readonly: func(t *tx, it *item) []Prop { return []Prop{{"dynamic", "false"}, {"invalid", "false"}} },
}

// The settings of a DHCP network or lease the lab's DHCP server does not
// put in its answers: it sends the address, netmask, gateway, DNS and NTP
// servers, domain and lease time only.
const (
	dhcpNetReason = "the lab's DHCP server does not send it: its answers carry address, netmask, gateway, DNS and NTP servers, domain and lease time only"
	dhcpOptReason = "DHCP options are stored but the lab's DHCP server does not add them to its answers"
)

var dhcpNetworkMenu = &menu{
	path: "ip dhcp-server network",
	// A 7.19 verbose export writes "!next-server".
	addUnsetAll: true,
	props: []*prop{
		{name: "address", parse: pPrefix, required: true},
		{name: "gateway", parse: pAddrList},
		{name: "dns-server", parse: pAddrList},
		{name: "domain", parse: pString},
		{name: "netmask", parse: pInt(0, 32)},
		{name: "ntp-server", parse: pAddrList},
		{name: "wins-server", parse: pAddrList, notEnforced: dhcpNetReason},
		{name: "next-server", parse: pIP, notEnforced: dhcpNetReason},
		{name: "boot-file-name", parse: pString, notEnforced: dhcpNetReason},
		{name: "dhcp-option", parse: pString, notEnforced: dhcpOptReason},
		{name: "dhcp-option-set", parse: pString, notEnforced: dhcpOptReason},
		// dns-none keeps the router's own DNS servers out of the answers
		// of a network without dns-server (offerFor).
		{name: "dns-none", parse: pBool, def: "no", isBool: true},
		// ntp-none is dns-none's twin for option 42 (a 7.2x verbose
		// export writes ntp-none=no next to dns-none). [verify] the 7.x
		// that added it.
		onlyV7(&prop{name: "ntp-none", parse: pBool, def: "no", isBool: true, notEnforced: "stored; the lab's DHCP server does not model it: the network's ntp-server is handed out as set"}),
		comment,
	},
	check:   checkDHCPNetwork,
	columns: []string{"address", "gateway", "dns-server"},
}

var dhcpLeaseMenu = &menu{
	path: "ip dhcp-server lease",
	// 7.19 verbose exports write "!allow-dual-stack-queue
	// !insert-queue-before !parent-queue !queue-type" on each lease.
	addUnsetAll: true,
	props: []*prop{
		{name: "address", parse: pIP, required: true},
		{name: "mac-address", parse: pMAC},
		{name: "client-id", parse: pString},
		{name: "server", parse: pLeaseServer, def: "all", show: true},
		{name: "lease-time", parse: pLeaseTime, def: "0s"},
		{name: "block-access", parse: pBool, def: "no", isBool: true, notEnforced: "rosemu does not block a lease's client: its packets are routed as any other"},
		{name: "always-broadcast", parse: pBool, def: "no", isBool: true, notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "use-src-mac", parse: pBool, def: "no", isBool: true, notEnforced: "stored; the lab's DHCP server does not model it"},
		{name: "address-lists", parse: pString},
		// The first rates are a dynamic simple queue of the bound
		// lease's address (leaseQueues); what follows them is stored.
		{name: "rate-limit", parse: pLeaseRateLimit, notEnforced: "rosemu limits the lease's client by the first rates (rx/tx) in a simple queue of its own; the burst, priority and minimum rates after them are stored, not applied",
			inert: func(p map[string]string) bool { return len(strings.Fields(p["rate-limit"])) <= 1 }},
		{name: "insert-queue-before", parse: pString, notEnforced: "rosemu puts a lease's queue before the configured simple queues, or after them with bottom; before a named queue it is not placed",
			inert: func(p map[string]string) bool {
				v := p["insert-queue-before"]
				return v == "" || v == "first" || v == "bottom"
			}},
		{name: "parent-queue", parse: pString, major: 7, notEnforced: "rosemu's queue of a lease has no parent"},
		{name: "queue-type", parse: pString, major: 7, notEnforced: "rosemu's queue of a lease uses the default queue type"},
		{name: "allow-dual-stack-queue", parse: pBool, def: "yes", isBool: true, major: 7, notEnforced: "rosemu's queue of a lease holds its IPv4 address only"},
		{name: "dhcp-option", parse: pString, notEnforced: dhcpOptReason},
		{name: "dhcp-option-set", parse: pString, notEnforced: dhcpOptReason},
		comment, disabled,
	},
	check:    checkDHCPLease,
	readonly: leaseStatus,
	// A lease that is not bound, or whose client sent no host name, has
	// none of these: get gives nothing, as the wiki's "static DNS record
	// for each DHCP lease" script expects ([:len [get $i host-name]] > 0
	// for every lease).
	maybeAbsent: []string{"host-name", "active-address", "active-mac-address", "active-server", "expires-after"},
	// print detail writes the run-time state that print and get show
	// (forum40 D6: detail left out status and host-name). DHCP page,
	// lease properties: https://help.mikrotik.com/docs/display/ROS/DHCP
	detailReadonly: []string{"status", "expires-after", "active-address", "active-mac-address", "active-server", "host-name"},
	columns:        []string{"address", "mac-address", "host-name", "server", "status"},
	// The lease's run-time state is kept in props whose names start with
	// "~": never printed as properties, never exported.
	exportSkip: func(_ *item, name, _ string) bool { return strings.HasPrefix(name, "~") },
	commands: map[string]menuCommand{
		"make-static": {
			syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
			run:    makeStatic,
		},
		"remove": {run: removeLeases},
	},
}

var dhcpOptionMenu = &menu{
	path: "ip dhcp-server option", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pItemName, required: true},
		{name: "code", parse: pInt(1, 254), required: true},
		{name: "value", parse: pString},
		{name: "force", parse: pBool, def: "no", isBool: true},
		comment,
	},
	columns:     []string{"name", "code", "value"},
	readonly:    dhcpOptionRaw,
	maybeAbsent: []string{"raw-value"},
	notEnforced: "DHCP options are stored but the lab's DHCP server does not add them to its answers",
}

var dhcpOptionSetMenu = &menu{
	path: "ip dhcp-server option sets", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pItemName, required: true},
		{name: "options", parse: pString},
		comment,
	},
	columns:     []string{"name", "options"},
	notEnforced: "DHCP option sets are stored but the lab's DHCP server does not add them to its answers",
}

// The pools and servers export before /ip address, as RouterOS orders
// them, so that an export applies again: a server names its pool, a lease
// its server.
func init() {
	at := len(menus)
	for i, m := range menus {
		if m.path == "ip address" {
			at = i
			break
		}
	}
	menus = append(menus[:at], append([]*menu{poolMenu, dhcpServerMenu}, menus[at:]...)...)
	menus = append(menus, dhcpLeaseMenu, dhcpNetworkMenu, dhcpOptionMenu, dhcpOptionSetMenu)
}

func pAddressPool(t *tx, name, v string) (string, error) {
	if v == "static-only" || t.findByName(poolTable, v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

func pLeaseServer(t *tx, name, v string) (string, error) {
	if v == "all" || t.findByName(dhcpServerTable, v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

func pLeaseTime(_ *tx, name, v string) (string, error) {
	d, ok := script.ParseTime(v)
	if !ok || d < 0 {
		return "", errInvalid(name)
	}
	return script.FormatTimeCompact(d), nil
}

func pAddrList(_ *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	var out []string
	for _, f := range strings.Split(v, ",") {
		a, ok := parseIP4(strings.TrimSpace(f))
		if !ok {
			return "", errInvalid(name)
		}
		out = append(out, a.String())
	}
	return strings.Join(out, ","), nil
}

// checkDHCPServer names an unnamed server dhcpN, as RouterOS does, and
// allows one server per interface. [verify] RouterOS's wordings.
func checkDHCPServer(t *tx, it *item) error {
	if it.props["name"] == "" {
		for n := 1; ; n++ {
			name := "dhcp" + strconv.Itoa(n)
			if t.findByName(dhcpServerTable, name) == nil {
				it.props["name"] = name
				break
			}
		}
	}
	for _, x := range t.m.tables[dhcpServerTable] {
		if x.id == it.id {
			continue
		}
		if x.props["name"] == it.props["name"] {
			return errFailure("name", "server with such name already exists")
		}
		// Several servers may share an interface when they serve
		// different relays (relay=10.1.4.1, relay=10.1.5.1 on one bridge
		// in a 7.19 CCR2004 export; DHCP page of the manual: a server
		// with relay= set processes only that relay's requests).
		if x.props["interface"] == it.props["interface"] && relayOf(x) == relayOf(it) && !x.disabled() && !it.disabled() {
			return errFailure("interface", "server for this interface already exists")
		}
	}
	return nil
}

// checkDHCPNetwork allows one entry per network. [verify] the wording.
func checkDHCPNetwork(t *tx, it *item) error {
	p, _ := netip.ParsePrefix(it.props["address"])
	it.props["address"] = p.Masked().String()
	for _, x := range t.m.tables[dhcpNetworkTable] {
		if x.id != it.id && x.props["address"] == it.props["address"] {
			return errFailure("address", "network already exists")
		}
	}
	return nil
}

// checkDHCPLease needs a MAC address or client id to know whom the lease is
// for, and refuses a second static lease of the same address or client on
// the same server. [verify] RouterOS's wordings.
func checkDHCPLease(t *tx, it *item) error {
	if it.dynamic {
		return nil
	}
	if it.props["mac-address"] == "" && it.props["client-id"] == "" {
		return errFailure("mac-address", "mac-address or client-id must be specified")
	}
	// The added lease's props are read once, not once per lease, and the
	// table is copied only when a dynamic lease gives way: each added
	// lease reads every other, and 2,000 leases cost 7 times as much a
	// line as 500 in a lab's load (Run).
	srv, addr, mac, cid := it.props["server"], it.props["address"], it.props["mac-address"], it.props["client-id"]
	off := it.disabled()
	leases := t.m.tables[dhcpLeaseTable]
	for _, x := range leases {
		if x.id == it.id || x.dynamic || x.props["server"] != srv {
			continue
		}
		if x.props["address"] == addr {
			return errFailure("address", "lease for this address already exists")
		}
		// Two static leases may share a MAC address when their client
		// identifiers differ (a 7.18 export: one lease by client-id, one
		// by MAC alone, for a machine with two operating systems); the
		// client-id is matched first.
		// A disabled lease does not count: a 7.22 export keeps an old
		// disabled lease beside the active one of the same machine.
		if mac != "" && !off && x.props["mac-address"] == mac && x.props["client-id"] == cid && !x.disabled() {
			return errFailure("mac-address", "lease for this mac-address already exists")
		}
	}
	// A static lease takes the place of a dynamic one of the same client.
	replaced := func(x *item) bool { return x.dynamic && mac != "" && x.props["mac-address"] == mac }
	if slices.ContainsFunc(leases, replaced) {
		t.m.tables[dhcpLeaseTable] = slices.DeleteFunc(slices.Clone(leases), replaced)
	}
	return nil
}

// leaseStatus shows a lease's run-time state: waiting, offered or bound,
// with the client's address, MAC, host name and the time left.
func leaseStatus(t *tx, it *item) []Prop {
	st := it.props["~status"]
	if st == "" {
		st = "waiting"
	}
	if it.disabled() {
		st = "disabled"
	}
	out := []Prop{{"status", st}, {"dynamic", boolAPI(it.dynamic)}}
	if st != "bound" && st != "offered" {
		return out
	}
	out = append(out, Prop{"active-address", it.props["address"]}, Prop{"active-mac-address", it.props["mac-address"]},
		Prop{"active-server", it.props["~server"]})
	if h := it.props["~host-name"]; h != "" {
		out = append(out, Prop{"host-name", h})
	}
	if exp, err := time.Parse(time.RFC3339Nano, it.props["~expires"]); err == nil {
		out = append(out, Prop{"expires-after", script.FormatTimeCompact(max(exp.Sub(t.now).Round(time.Second), 0))})
	}
	return out
}

// makeStatic turns dynamic leases into static ones: the client keeps its
// address from now on, and the lease is exported.
func makeStatic(t *tx, req *request) (result, error) {
	targets, err := t.items(req.menu, req)
	if err != nil {
		return result{}, err
	}
	for _, old := range targets {
		if !old.dynamic {
			continue
		}
		it := old.clone()
		it.dynamic = false
		it.props["server"] = it.props["~server"]
		t.replace(req.menu, it)
	}
	return result{}, nil
}

// dhcpServerConfigMenu is /ip dhcp-server config: how often leases are
// written to disk and RADIUS accounting. rosemu keeps leases in memory.
var dhcpServerConfigMenu = &menu{
	path: "ip dhcp-server config", single: true,
	props: []*prop{
		{name: "store-leases-disk", parse: pNonEmpty, def: "5m", show: true},
		{name: "accounting", parse: pBool, def: "yes", show: true, isBool: true},
		{name: "interim-update", parse: pLeaseTime, def: "0s", show: true},
		{name: "radius-password", parse: pEnum("empty", "mac-address", "same-as-username"), def: "empty", show: true},
	},
	notEnforced: "rosemu keeps leases in memory and has no RADIUS server",
}

func init() { menus = append(menus, dhcpServerConfigMenu) }

// relayOf is the relay a DHCP server serves, 0.0.0.0 for direct requests.
func relayOf(it *item) string {
	if r := it.props["relay"]; r != "" {
		return r
	}
	return "0.0.0.0"
}

// leaseQueueServerStored is why a DHCP server's settings for its leases'
// simple queues are stored: rosemu makes a lease's queue from the lease's
// own rate-limit and places it by the lease's insert-queue-before
// (leaseQueues). It said "rosemu makes no simple queue for a lease"
// before f71 (N6), which the lease's queue contradicted.
const leaseQueueServerStored = "rosemu makes a lease's simple queue from the lease's own rate-limit and places it by the lease's insert-queue-before; the server's setting is stored, not applied"
