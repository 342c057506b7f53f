package lab

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/wgkey"
	"go.yaml.in/yaml/v3"
)

// WireGuard is a node's tunnel to the router (docs/labs.md): the node is a
// road warrior or a far site with one peer, the router's WireGuard
// interface. labagent runs it in user space.
type WireGuard struct {
	Address    netip.Prefix // the node's tunnel address
	PrivateKey string
	ListenPort int // 0: any
	Peer       WireGuardPeer
	line       int
}

// WireGuardPeer is the router as the node's peer.
type WireGuardPeer struct {
	PublicKey    string
	PresharedKey string
	// Endpoint is the router's address and port; it must be an address
	// of the lab (tunnel packets stay in the lab). Invalid: the node
	// waits for the router to reach it.
	Endpoint  netip.AddrPort
	Allowed   []netip.Prefix
	Keepalive time.Duration
	epLine    int
}

func (p *parser) wgKey(v *yaml.Node, what string) string {
	k := p.str(v, what)
	if _, ok := wgkey.Decode(k); !ok {
		p.failAt(v, "%s: want a WireGuard key (32 bytes in base64, as wg genkey writes it), got %q", what, k)
	}
	return k
}

func (p *parser) wireguard(v *yaml.Node, node string) *WireGuard {
	what := "node " + node + ": wireguard"
	f := p.fields(v, what, "address", "private-key", "listen-port", "peer")
	if f == nil {
		return nil
	}
	w := &WireGuard{line: v.Line}
	if av := f["address"]; av != nil {
		s := p.str(av, what+": address")
		pf, err := netip.ParsePrefix(s)
		if err != nil || !pf.Addr().Is4() {
			p.failAt(av, "%s: address: want an IPv4 address with its length such as 10.66.0.2/24, got %q", what, s)
		}
		w.Address = pf
	} else {
		p.failAt(v, "%s: no address", what)
	}
	if kv := f["private-key"]; kv != nil {
		w.PrivateKey = p.wgKey(kv, what+": private-key")
	} else {
		p.failAt(v, "%s: no private-key", what)
	}
	if lv := f["listen-port"]; lv != nil {
		w.ListenPort = p.port(lv, what+": listen-port")
	}
	pv := f["peer"]
	if pv == nil {
		p.failAt(v, "%s: no peer (the router)", what)
		return w
	}
	pw := what + ": peer"
	pf := p.fields(pv, pw, "public-key", "preshared-key", "endpoint", "allowed", "keepalive")
	if pf == nil {
		return w
	}
	if kv := pf["public-key"]; kv != nil {
		w.Peer.PublicKey = p.wgKey(kv, pw+": public-key")
	} else {
		p.failAt(pv, "%s: no public-key", pw)
	}
	if kv := pf["preshared-key"]; kv != nil {
		w.Peer.PresharedKey = p.wgKey(kv, pw+": preshared-key")
	}
	if ev := pf["endpoint"]; ev != nil {
		s := p.str(ev, pw+": endpoint")
		ap, err := netip.ParseAddrPort(s)
		if err != nil || !ap.Addr().Is4() || ap.Port() == 0 {
			p.failAt(ev, "%s: endpoint: want the router's IPv4 address and port such as 203.0.113.2:13231, got %q", pw, s)
		}
		w.Peer.Endpoint, w.Peer.epLine = ap, ev.Line
	}
	for _, av := range p.seq(pf["allowed"], pw+": allowed") {
		s := p.str(av, pw+": allowed")
		a, err := netip.ParsePrefix(s)
		if err != nil || !a.Addr().Is4() {
			p.failAt(av, "%s: allowed: want an IPv4 prefix such as 192.168.88.0/24, got %q", pw, s)
			continue
		}
		w.Peer.Allowed = append(w.Peer.Allowed, a.Masked())
	}
	if len(w.Peer.Allowed) == 0 {
		p.failAt(pv, "%s: no allowed prefixes (what the node sends into the tunnel)", pw)
	}
	if kv := pf["keepalive"]; kv != nil {
		d, err := time.ParseDuration(p.str(kv, pw+": keepalive"))
		if err != nil || d < time.Second || d > 65535*time.Second {
			p.failAt(kv, "%s: keepalive: want a duration such as 10s, got %q", pw, kv.Value)
		}
		w.Peer.Keepalive = d
	}
	return w
}

// expandWireGuard checks the endpoint against the lab and turns the
// tunnel into labagent's --wg-* flags.
func (p *parser) expandWireGuard(s *Spec, n *Node) {
	w := n.WireGuard
	if ep := w.Peer.Endpoint; ep.IsValid() {
		inLab := false
		for _, nw := range s.Networks {
			inLab = inLab || nw.Subnet.Contains(ep.Addr())
		}
		if !inLab {
			p.failf(w.Peer.epLine, "node %s: wireguard: peer: endpoint %s is not in any network of the lab (lab traffic stays in the lab)", n.Name, ep.Addr())
		}
	}
	allowed := make([]string, len(w.Peer.Allowed))
	for i, a := range w.Peer.Allowed {
		allowed[i] = a.String()
	}
	n.Args = append(n.Args, "--wg-address", w.Address.String(), "--wg-private-key", w.PrivateKey,
		"--wg-peer-public-key", w.Peer.PublicKey, "--wg-allowed", strings.Join(allowed, ","))
	if w.ListenPort != 0 {
		n.Args = append(n.Args, "--wg-listen-port", strconv.Itoa(w.ListenPort))
	}
	if w.Peer.PresharedKey != "" {
		n.Args = append(n.Args, "--wg-preshared-key", w.Peer.PresharedKey)
	}
	if w.Peer.Endpoint.IsValid() {
		n.Args = append(n.Args, "--wg-endpoint", w.Peer.Endpoint.String())
	}
	if w.Peer.Keepalive > 0 {
		n.Args = append(n.Args, "--wg-keepalive", w.Peer.Keepalive.String())
	}
}
