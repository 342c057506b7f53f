package config

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/wgkey"
)

// WireGuard is enforced: each enabled /interface wireguard is a TUN link
// of the router (made by the kernel package like a bridge or VLAN, so its
// addresses and routes go into the kernel) that a user-space WireGuard
// device (rosemu/service/wireguard) carries, with the interface's key and
// listen port and its enabled peers. As on RouterOS, allowed-address is
// the peer's cryptokey routing only: no route is added for it, the
// configuration's /ip route entries do that. Source: the WireGuard page of
// the manual, https://help.mikrotik.com/docs/display/ROS/WireGuard.

const (
	wireguardTable     = "interface wireguard"
	wireguardPeerTable = "interface wireguard peers"
	// wireguardStateTable holds what the service reports of each peer
	// (last handshake, bytes, endpoint), keyed by the peer's id.
	wireguardStateTable = "interface wireguard peers state"
)

// WireGuardInterface is one /interface wireguard entry as the service
// needs it, with its enabled peers.
type WireGuardInterface struct {
	// Name is the RouterOS name; the TUN link is kernel.LinkName(Name).
	Name       string
	PrivateKey string // standard base64, as RouterOS writes it
	ListenPort int
	MTU        int
	Disabled   bool
	Peers      []WireGuardPeer
}

// WireGuardPeer is one enabled /interface wireguard peers entry.
type WireGuardPeer struct {
	ID           string // the peer's item id, for SetWireGuardPeer
	PublicKey    string
	PresharedKey string
	// EndpointHost is endpoint-address as written: an address or a DNS
	// name the service resolves with the router's resolver; empty for a
	// peer the router only answers.
	EndpointHost string
	EndpointPort int
	Allowed      []netip.Prefix
	Keepalive    time.Duration
	// Responder: the router never starts a handshake with this peer
	// (is-responder=yes, responder=yes), it waits for the peer's.
	Responder bool
}

// WireGuardPeerState is what the service reports of a peer.
type WireGuardPeerState struct {
	LastHandshake time.Time // zero: none yet
	Rx, Tx        uint64
	Endpoint      netip.AddrPort // the address the last packet came from
}

// WireGuardService is told the interfaces after every committed change,
// with the router's lock held: it must return quickly and not call back.
type WireGuardService interface {
	Update([]WireGuardInterface)
}

// WireGuardPublicKey derives the public key of a base64 private key, as
// /interface wireguard shows it ("" for none or a bad one).
func WireGuardPublicKey(priv string) string { return wgkey.Public(priv) }

// wireguardInterfaces lists the model's WireGuard interfaces with their
// enabled peers, in order.
func wireguardInterfaces(m *model) []WireGuardInterface {
	var out []WireGuardInterface
	for _, w := range m.tables[wireguardTable] {
		p := w.props
		wi := WireGuardInterface{Name: p["name"], PrivateKey: p["private-key"],
			ListenPort: atoiOr(p["listen-port"], 13231), MTU: wgMTU(w), Disabled: w.disabled()}
		for _, pe := range m.tables[wireguardPeerTable] {
			q := pe.props
			if pe.disabled() || q["interface"] != wi.Name {
				continue
			}
			peer := WireGuardPeer{ID: pe.ID(), PublicKey: q["public-key"], PresharedKey: q["preshared-key"],
				EndpointHost: q["endpoint-address"], EndpointPort: atoiOr(q["endpoint-port"], 0),
				Responder: q["is-responder"] == "yes" || q["responder"] == "yes"}
			for _, s := range strings.Split(q["allowed-address"], ",") {
				if pf, err := netip.ParsePrefix(s); err == nil {
					peer.Allowed = append(peer.Allowed, pf.Masked())
				} else if a, err := netip.ParseAddr(s); err == nil {
					peer.Allowed = append(peer.Allowed, netip.PrefixFrom(a, a.BitLen()))
				}
			}
			if d, ok := script.ParseTime(q["persistent-keepalive"]); ok {
				peer.Keepalive = d
			}
			wi.Peers = append(wi.Peers, peer)
		}
		out = append(out, wi)
	}
	return out
}

// wireguardLinks are the kernel's TUN links of the WireGuard interfaces.
func wireguardLinks(m *model) []kernel.TunLink {
	var out []kernel.TunLink
	for _, w := range m.tables[wireguardTable] {
		out = append(out, kernel.TunLink{Name: w.props["name"], MTU: wgMTU(w), Disabled: w.disabled()})
	}
	return out
}

// wgMTU is a WireGuard interface's mtu (1420 unless set).
func wgMTU(w *item) int { return atoiOr(w.props["mtu"], 1420) }

// WireGuardInterfaces returns the committed WireGuard interfaces.
func (r *Router) WireGuardInterfaces() []WireGuardInterface {
	r.mu.Lock()
	defer r.mu.Unlock()
	return wireguardInterfaces(r.m)
}

// SetWireGuardPeer records what the service saw of the peer whose item id
// is id; it changes no configuration and commits nothing.
func (r *Router) SetWireGuardPeer(id string, s WireGuardPeerState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, pe := range r.m.tables[wireguardPeerTable] {
		if pe.ID() != id {
			continue
		}
		props := map[string]string{"rx": strconv.FormatUint(s.Rx, 10), "tx": strconv.FormatUint(s.Tx, 10)}
		if !s.LastHandshake.IsZero() {
			props["last-handshake"] = strconv.FormatInt(s.LastHandshake.Unix(), 10)
		}
		if s.Endpoint.IsValid() {
			props["current-endpoint-address"] = s.Endpoint.Addr().String()
			props["current-endpoint-port"] = strconv.Itoa(int(s.Endpoint.Port()))
		}
		setTableItem(r.m, wireguardStateTable, &item{id: pe.id, props: props})
	}
}

// wireguardPeerReadonly is what print and get show of a peer's state:
// last-handshake as the time since it (RouterOS prints "1m5s"), rx and
// tx in bytes, and the endpoint the peer last used.
func wireguardPeerReadonly(t *tx, it *item) []Prop {
	var st map[string]string
	for _, x := range t.m.tables[wireguardStateTable] {
		if x.id == it.id {
			st = x.props
		}
	}
	out := []Prop{{"rx", orDefault(st["rx"], "0")}, {"tx", orDefault(st["tx"], "0")}}
	if s, err := strconv.ParseInt(st["last-handshake"], 10, 64); err == nil {
		out = append(out, Prop{"last-handshake", script.FormatTimeCompact(time.Since(time.Unix(s, 0)).Truncate(time.Second))})
	}
	if a := st["current-endpoint-address"]; a != "" {
		out = append(out, Prop{"current-endpoint-address", a}, Prop{"current-endpoint-port", st["current-endpoint-port"]})
	}
	return out
}
