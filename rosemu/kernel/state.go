// Package kernel renders rosemu's configuration model into the Linux data
// plane of the router's network namespace: nftables for the firewall, and
// addresses and routes through netlink.
//
// The engine (package config) owns RouterOS semantics: parsing, validation,
// defaults, ordering. It hands this package a State that is already
// validated and resolved; the kernel only translates and applies it.
package kernel

import (
	"fmt"
	"net/netip"
)

// State is the whole data-plane configuration of the router at one moment.
// Apply brings the kernel to exactly this state; it is never a delta.
type State struct {
	// LogGroup is the NFLOG group that the firewall's log rules send to,
	// 0 for the kernel's own log; the Dataplane sets it while rosemu
	// listens (fwlog.go).
	LogGroup uint16
	// LiveDynLists names the address lists whose rule-added entries are
	// in the loaded table; the Dataplane sets it, so that the entries
	// outlive the rule that added them (addrlist_dyn.go).
	LiveDynLists map[string]bool
	// Ports are the router's ethernet ports in RouterOS order (ether1, ...).
	Ports []string
	// IPSettings are /ip settings the kernel applies (ipsettings.go); nil
	// leaves the namespace's as they are.
	IPSettings *IPSettings
	// GatewayCheck is the timing of check-gateway that RouterOS 7's
	// /routing settings sets (check-gateway-ping-interval, -timeout,
	// -count); nil is RouterOS's default. The Dataplane's
	// SetGatewayCheck (a lab flag) takes precedence.
	GatewayCheck *GatewayCheck
	// Tracking is /ip firewall connection tracking (cttimeout.go); nil
	// leaves the kernel's own timeouts.
	Tracking *Tracking
	// NoECMPTies keeps routes of one destination, table and distance
	// apart (RouterOS 6 [verify]): the first is installed and the others
	// kept inactive. RouterOS 7 groups them into one ECMP route ("AS+",
	// IP Routing page), which is what Apply does without it.
	NoECMPTies bool
	// PrefSrcInactive keeps a route whose pref-src is not one of
	// st.Addresses out of the kernel, listed inactive (RouterOS 6); when
	// unset (RouterOS 7) such a route is installed without the source
	// hint. Linux refuses a preferred source that is no local address
	// (EINVAL), which failed the whole configuration before.
	PrefSrcInactive bool
	// IPsecPolicies are the IPv4 IPsec policies of the outgoing direction,
	// in list order (ipsec.go).
	IPsecPolicies []IPsecPolicy
	// MSSClamps are the PPP sessions whose profile clamps the MSS (mss.go).
	MSSClamps []MSSClamp
	// Helpers are the enabled service ports with a Linux helper
	// (helpers.go).
	Helpers []Helper
	// PortStates are the ports' administrative states that differ from
	// the default (up, ARP enabled): a disabled port is set down, as it
	// carries nothing on RouterOS; arp=disabled stops ARP on it.
	PortStates map[string]PortState
	// Addresses are the enabled entries of /ip address.
	Addresses []Address
	// StaticARP are the enabled static entries of /ip arp (neigh.go).
	StaticARP []Neighbor
	// PublishedARP are the enabled /ip arp entries with published=yes:
	// the router answers ARP for Addr on Interface (MAC unused), as
	// proxy ARP for that one address (neigh.go).
	PublishedARP []Neighbor
	// Routes are the enabled static entries of /ip route.
	Routes []Route
	// InterfaceLists maps a list name to its member interface names, with
	// the built-in lists (all, none, static, dynamic) already resolved.
	InterfaceLists map[string][]string
	// AddressLists maps a list name to its enabled entries.
	AddressLists map[string][]AddrEntry
	// Filter and NAT are the rules of /ip firewall filter and nat in list
	// order, disabled rules included (the renderer skips them, so that rule
	// positions stay stable in comments).
	Filter []Rule
	NAT    []Rule
	// Bridges, VLANs and BridgeSettings are the L2 interfaces of
	// /interface bridge and /interface vlan (bridge.go).
	Bridges        []Bridge
	VLANs          []VLAN
	BridgeSettings BridgeSettings
	// BridgeHosts are the enabled static /interface bridge host entries.
	BridgeHosts []BridgeHost
	// BridgeFilter are the rules of /interface bridge filter in list
	// order, disabled ones included (bridgefw.go).
	BridgeFilter []Rule
	// BridgeNAT are the rules of /interface bridge nat, kept the same way.
	BridgeNAT []Rule
	// Mangle and Raw are the rules of /ip firewall mangle and raw, kept
	// like Filter and NAT.
	Mangle []Rule
	Raw    []Rule
	// RoutingTables are the routing tables besides main, each with the
	// kernel table id that is also its routing mark (see routing.go).
	RoutingTables []RoutingTable
	// RoutingRules are the enabled entries of /routing rule in order.
	RoutingRules []RoutingRule
	// Queues are the enabled simple queues with address or interface
	// targets and a max-limit, in order (queues.go).
	Queues []SimpleQueue
	// SessionLinks are the interfaces of the PPPoE client sessions that
	// are up: links of their own (TUN devices), which the queues shape as
	// they shape ports.
	SessionLinks []string
	// TunLinks are the TUN links the router's user-space tunnels run on
	// (WireGuard interfaces, tunlink.go): made here like bridges, so that
	// their addresses and routes are the kernel's before a tunnel attaches.
	TunLinks []TunLink
	// VRRPs are the virtual routers the router runs (vrrp.go), made
	// after the VLANs they may sit on.
	VRRPs []VRRP
	// TreeQueues are the enabled /queue tree entries whose parent chain
	// ends at global or at one of the router's interfaces, parents before
	// their children (queuetree.go).
	TreeQueues []TreeQueue
	// InterfaceQueues are the interfaces whose /queue interface entry
	// rosemu shapes, with the rate in bits/s (ifqueue.go).
	InterfaceQueues map[string]uint64
	// IPv6 is what is enforced of /ipv6 (ipv6.go); nil when the
	// configuration has no IPv6 address or route, and the router's links
	// then carry no IPv6 at all.
	IPv6 *IPv6
}

// PortState is what /interface ethernet sets of a port's link.
type PortState struct {
	Disabled bool
	ARP      string // enabled, disabled, proxy-arp, ...
}

// TreeQueue is what rosemu enforces of a /queue tree entry: a class of
// the HTB under its parent (global, an interface, or another entry) with
// its guaranteed and maximum rates and priority; a leaf catches the
// packets whose packet mark it names.
type TreeQueue struct {
	Name string
	// Parent is "global", a RouterOS interface name or another entry's
	// Name.
	Parent string
	// PacketMarks are the packet marks a leaf catches ("no-mark" for the
	// unmarked ones); empty, it catches none.
	PacketMarks []string
	// LimitAt and MaxLimit are in bits per second, 0 for none.
	LimitAt, MaxLimit uint64
	// Priority is RouterOS's 1 (highest) to 8.
	Priority int
	// PCQ is a leaf's queue type when it is PCQ (pcq.go).
	PCQ PCQ
	// FIFO is a leaf's buffer when its queue type is a FIFO (fifo.go).
	FIFO FIFO
	// Burst is the entry's burst-limit, burst-threshold and burst-time
	// (burst.go).
	Burst Burst
}

// SimpleQueue is what rosemu enforces of a /queue simple entry: the
// traffic from its targets (upload) and to them (download) is limited to
// its max-limit, in bits per second (0: no limit that way).
type SimpleQueue struct {
	Name    string
	Targets []netip.Prefix
	// Interfaces are the targets that name interfaces (RouterOS names):
	// what enters the router by one is upload, what leaves by one is
	// download.
	Interfaces       []string
	Upload, Download uint64
	// UploadPCQ and DownloadPCQ are the directions' queue types when
	// they are PCQ (pcq.go).
	UploadPCQ, DownloadPCQ PCQ
	// UploadFIFO and DownloadFIFO are the directions' buffers when their
	// queue types are FIFOs (fifo.go).
	UploadFIFO, DownloadFIFO FIFO
	// UploadBurst and DownloadBurst are the directions' burst-limit,
	// burst-threshold and burst-time (burst.go).
	UploadBurst, DownloadBurst Burst
	// Parent is the Name of the queue whose classes this one's hang
	// under (simpleparent.go); "" for none.
	Parent string
	// Dst and DstInterfaces are dst=, the other end of the queue's
	// traffic (an address or subnet, or an interface); PacketMarks are
	// packet-marks= (simpleMatch).
	Dst           []netip.Prefix
	DstInterfaces []string
	PacketMarks   []string
}

// Address is one /ip address entry.
type Address struct {
	Prefix    netip.Prefix // address with its length: 192.168.88.1/24
	Interface string       // RouterOS interface name: ether2
	// EUI64 (IPv6, /ipv6 address eui-64=yes): the last 64 bits of
	// Prefix are made from the link's MAC address when it is applied
	// (modified EUI-64, RFC 4291 appendix A), the MAC the link really
	// has, as RouterOS takes the interface's.
	EUI64 bool
	// Peer (IPv4, a /32 address whose RouterOS network= names another
	// address) is the far end of a point-to-point link: RouterOS's
	// network of a /32 is "the address of the remote end", reachable on
	// the interface, so a route by it resolves there. Installed as the
	// kernel's peer address (ip addr add A peer P), which gives the
	// link route to P. Invalid for an ordinary address.
	Peer netip.Addr
	// VRF is the /ip vrf whose interfaces hold the address, "" for
	// main. Its connected route is in the VRF's table and not in main:
	// the address is installed with noprefixroute and the route added
	// to the table (vrfConnected).
	VRF string
}

// String prints the address as before Peer existed, with the peer only
// when there is one (tests and logs print addresses).
func (a Address) String() string {
	if a.Peer.IsValid() {
		return fmt.Sprintf("{%s %s %v peer %s}", a.Prefix, a.Interface, a.EUI64, a.Peer)
	}
	return fmt.Sprintf("{%s %s %v}", a.Prefix, a.Interface, a.EUI64)
}

// Route is one static route. Gateway is either an address or an interface
// name, as RouterOS allows both.
type Route struct {
	Dst netip.Prefix
	// Gateway is the gateway: an address (with %interface), an interface,
	// or an ECMP route's several, comma-separated, installed as one
	// multipath route.
	Gateway  string
	Distance int
	// Table is the routing table name; "" and "main" are the main table.
	Table string
	// PrefSrc is the preferred source address (pref-src), invalid if unset.
	PrefSrc netip.Addr
	// Type is "" or "unicast" for a forwarding route, or blackhole,
	// unreachable or prohibit; such routes have no gateway.
	Type string
	// CheckGateway is "", "ping" or "arp": the route is used only while
	// its gateway answers (see gateway_check.go).
	CheckGateway string
	// VRF is the route's vrf-interface; VRFs are not modelled, so a route
	// with one is refused when applied.
	VRF string
	// Scope and TargetScope are RouterOS's scope and target-scope (0:
	// the static route's defaults, 30 and 10); they decide which routes
	// may resolve a recursive gateway (recursive.go).
	Scope, TargetScope int
}

// AddrEntry is one address-list entry: a prefix (a host is a /32) or an
// inclusive range.
type AddrEntry struct {
	Prefix netip.Prefix // valid unless the entry is a range
	From   netip.Addr   // range start, valid only for ranges
	To     netip.Addr   // range end
}

// Rule is one firewall rule. Props holds RouterOS property names with their
// canonical values as the engine stores and exports them, e.g.
// "chain": "dstnat", "dst-address": "!192.168.88.0/24",
// "dst-port": "80,443,8000-8080", "connection-state": "established,related".
// Only properties the user set (or that have non-default values) appear;
// "disabled" is "yes" when the rule is disabled.
type Rule struct {
	ID    string // RouterOS .id, e.g. "*3"
	Props map[string]string
}
