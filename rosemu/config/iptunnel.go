package config

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// /interface gre, /interface ipip and /interface eoip are built: the
// iptunnel service carries each enabled one in user space (rosemu/iptun)
// on the TUN link (a TAP for EoIP, which a bridge may take as a port) the
// kernel package makes, with keepalive; docs/routeros.md "Stateless
// tunnels". The IPv6-transport tunnels stay running links that drop what
// is routed into them (stored_iface.go).

// builtTunnelTables are the tunnel menus rosemu carries packets for.
var builtTunnelTables = map[string]bool{"interface gre": true, "interface ipip": true, "interface eoip": true, "interface vxlan": true}

// IPTunnel is a GRE, IPIP or EoIP interface as the service needs it.
type IPTunnel struct {
	Name     string
	Kind     string     // "gre", "ipip" or "eoip"
	TunnelID int        // EoIP's tunnel-id
	Local    netip.Addr // invalid: the routed source (local-address=0.0.0.0)
	Remote   netip.Addr
	// Keepalive is the interval (0: keepalive off) and Retries the
	// keepalives that may go unanswered before the running flag goes.
	Keepalive time.Duration
	Retries   int
	Disabled  bool
}

// IPTunnelService is told the GRE and IPIP interfaces after every
// committed change, with the router's lock held: it must return quickly
// and not call back.
type IPTunnelService interface {
	Update([]IPTunnel)
}

// ipTunnels lists the model's GRE and IPIP interfaces in order.
func ipTunnels(m *model) []IPTunnel {
	var out []IPTunnel
	for _, tbl := range []string{"interface gre", "interface ipip", "interface eoip"} {
		for _, it := range m.tables[tbl] {
			p := it.props
			t := IPTunnel{Name: p["name"], Kind: strings.TrimPrefix(tbl, "interface "), Disabled: it.disabled()}
			t.TunnelID = atoiOr(p["tunnel-id"], 0)
			t.Remote, _ = netip.ParseAddr(p["remote-address"])
			if a, err := netip.ParseAddr(p["local-address"]); err == nil && !a.IsUnspecified() {
				t.Local = a
			}
			v, ok := p["keepalive"]
			if !ok {
				v = "10s,10"
			}
			t.Keepalive, t.Retries = parseKeepalive(v)
			out = append(out, t)
		}
	}
	return out
}

// parseKeepalive reads keepalive=interval,retries (the GRE and IPIP
// pages: "keepalive (integer[/time],integer 0..4294967295; Default:
// 10s,10)"); "" (unset, !keepalive) is off. A bare interval keeps 10
// retries. [verify] RouterOS's retries when only the interval is given.
func parseKeepalive(v string) (time.Duration, int) {
	if v == "" {
		return 0, 0
	}
	iv, rv, _ := strings.Cut(v, ",")
	d, ok := script.ParseTime(iv)
	if !ok {
		if n, err := strconv.Atoi(iv); err == nil {
			d = time.Duration(n) * time.Second
		}
	}
	retries := 10
	if n, err := strconv.Atoi(rv); err == nil && n > 0 {
		retries = n
	}
	if d <= 0 {
		return 0, 0
	}
	return d, retries
}

// IPTunnels returns the committed GRE, IPIP and EoIP interfaces.
func (r *Router) IPTunnels() []IPTunnel {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ipTunnels(r.m)
}

// builtTunnel reports whether name is an enabled GRE, IPIP or EoIP
// interface of m: its link carries packets.
func builtTunnel(m *model) func(name string) bool {
	built := map[string]bool{}
	for tbl := range builtTunnelTables {
		for _, it := range m.tables[tbl] {
			if !it.disabled() {
				built[it.props["name"]] = true
			}
		}
	}
	return func(name string) bool { return built[name] }
}

// ipTunnelNamed reports whether name is a GRE, IPIP or EoIP interface of
// m, enabled or not. A disabled one is a modelled interface that is down,
// as a disabled port is: its addresses and the routes through it are
// inactive, not stored only (forum58 N1: an address on a disabled IPIP
// tunnel was said to be on an interface with "no such link in the
// emulator").
func ipTunnelNamed(m *model) func(name string) bool {
	named := map[string]bool{}
	for tbl := range builtTunnelTables {
		for _, it := range m.tables[tbl] {
			named[it.props["name"]] = true
		}
	}
	return func(name string) bool { return named[name] }
}

// l2TunnelTables are the tunnels whose links carry Ethernet frames: an
// EoIP tunnel's TAP and a VXLAN (the kernel's vxlan link).
var l2TunnelTables = []string{"interface eoip", "interface vxlan"}

// l2Tunnel reports whether name is an enabled EoIP or VXLAN interface of
// m: its link carries frames, so a bridge port of it forwards.
func l2Tunnel(m *model) func(name string) bool {
	l2 := map[string]bool{}
	for _, tbl := range l2TunnelTables {
		for _, it := range m.tables[tbl] {
			if !it.disabled() {
				l2[it.props["name"]] = true
			}
		}
	}
	// A VXLAN of a VNI and port an earlier one holds is a TUN that
	// drops (vxlanSharedReason): it carries no frames.
	for name := range vxlanShadowed(m) {
		delete(l2, name)
	}
	return func(name string) bool { return l2[name] }
}

// l2TunnelNamed reports whether name is an EoIP or VXLAN interface of m,
// enabled or not (ipTunnelNamed's counterpart for bridge ports).
func l2TunnelNamed(m *model, name string) bool {
	if _, ok := vxlanShadowed(m)[name]; ok {
		return false
	}
	for _, tbl := range l2TunnelTables {
		for _, it := range m.tables[tbl] {
			if it.props["name"] == name {
				return true
			}
		}
	}
	return false
}

// tunnelClamps are the enabled GRE, IPIP and EoIP interfaces with
// clamp-tcp-mss=yes, the default: the SYNs they receive are clamped to
// their MTU (kernel.MSSClamp, Tunnel). An EoIP tunnel that is a bridge
// port is left out: its frames are bridged, and the forward chain sees
// them, if at all, as the bridge's. [verify] on a CHR whether RouterOS
// clamps SYNs bridged through an EoIP tunnel.
func tunnelClamps(m *model) []kernel.MSSClamp {
	bridged := map[string]bool{}
	for _, p := range m.tables["interface bridge port"] {
		bridged[p.props["interface"]] = true
	}
	var out []kernel.MSSClamp
	for _, mn := range []*menu{greMenu, ipipMenu, eoipMenu} {
		tbl := mn.tableName()
		for _, it := range m.tables[tbl] {
			name := it.props["name"]
			if it.disabled() || effective(mn, it.props, "clamp-tcp-mss") == "no" || (mn == eoipMenu && bridged[name]) {
				continue
			}
			out = append(out, kernel.MSSClamp{Link: name, MTU: atoiOr(it.props["mtu"], tunnelMTU[tbl]), Tunnel: true})
		}
	}
	return out
}

// ipTunnelNotEnforced are the GRE, IPIP and EoIP properties the service
// does not model, reported at non-default values.
func init() {
	// EoIP's own: the TAP answers ARP as a port with arp=enabled does,
	// and nothing detects loops.
	eoipMenu.prop("arp").notEnforced = "rosemu's EoIP link always answers ARP (arp=enabled)"
	eoipMenu.prop("loop-protect").notEnforced = "rosemu runs no loop protection on the tunnel"
	// A multicast MAC is no interface's own (Linux refuses it, as for a
	// bridge's admin-mac): the TAP keeps the kernel's.
	mac := eoipMenu.prop("mac-address")
	mac.notEnforced = "a multicast MAC address (its first byte has the group bit set) cannot be an interface's own: rosemu's EoIP link keeps the MAC the kernel gave it, and the setting is stored"
	mac.inert = func(p map[string]string) bool { return !groupMAC(p["mac-address"]) }
	for _, m := range []*menu{greMenu, ipipMenu, eoipMenu} {
		m.notEnforced = ""
		// clamp-tcp-mss is modelled (tunnelClamps). allow-fast-path is
		// not reported: no asks for what rosemu does, every packet
		// through the firewall (the GRE page asks for it with IPsec:
		// "Must be disabled if IPsec tunneling is used"); it was
		// reported, and every passed step through such a tunnel carried
		// a "could end otherwise" caveat (forum58 D3). yes, the default,
		// was never reported as a default is not; whether RouterOS's
		// fast path then lets the tunnel's packets skip a rule is
		// [verify] (the FastPath conditions of the Packet Flow page).
		for name, why := range map[string]string{
			"ipsec-secret":  "rosemu makes no IPsec peer or transport policy for the tunnel's ipsec-secret (RouterOS makes them dynamically): its packets are dropped as on a router whose far end never completes IKE",
			"dscp":          "rosemu's outer packets carry DSCP 0 whatever dscp says",
			"dont-fragment": "rosemu's outer packets never carry DF (dont-fragment=no)",
		} {
			if p := m.prop(name); p != nil {
				p.notEnforced = why
			}
		}
	}
}
