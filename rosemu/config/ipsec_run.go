package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// IPsec that carries traffic (ipsec72, docs/ipsec.md). The service
// (rosemu/service/ipsec) runs strongSwan's charon in the router's
// namespace with ESP in user space (kernel-libipsec, a TUN: the lab
// kernels have no ESP) and is told the peers after every commit. Each
// enabled tunnel policy (tunnel=yes, action=encrypt) whose peer is known
// is a child SA of its peer's connection; the service reports which of
// them are installed (SetIPsecState), and the kernel then sends what
// such a policy covers after srcnat into the TUN instead of dropping it
// (kernel.IPsecPolicy.Up).

// IPsecPeer is an enabled /ip ipsec peer as the service needs it, with
// its profile, its identity and the tunnel policies that name it;
// comparable field by field through its text (the service compares the
// swanctl.conf it makes).
type IPsecPeer struct {
	ID, Name     string
	Address      string // an address or a prefix (a responder's 0.0.0.0/0)
	LocalAddress string
	Port         int
	ExchangeMode string // main, aggressive, ike2 (v6: base, main-l2tp too)
	Passive      bool
	// SendInitialContact is send-initial-contact (default yes).
	SendInitialContact bool
	// The profile's settings, as RouterOS writes them.
	EncAlgorithm, HashAlgorithm, DHGroup, Lifetime, DPDInterval string
	DPDMaximumFailures                                          string
	NATTraversal                                                bool
	// The first enabled identity of the peer; Identity is false without
	// one (the peer then never authenticates).
	Identity           bool
	AuthMethod, Secret string
	MyID, RemoteID     string
	GeneratePolicy     string
	Policies           []IPsecTunnel
}

// IPsecTunnel is an enabled tunnel policy of a peer: a child SA.
type IPsecTunnel struct {
	ID       string // the policy's id, "*3"
	Src, Dst []netip.Prefix
	Protocol string // "all" or a protocol
	SrcPort  string // "any" or a port or range
	DstPort  string
	Level    string
	// The proposal's settings.
	EncAlgorithms, AuthAlgorithms, PFSGroup, Lifetime string
}

// IPsecService runs the peers; it is told them after every committed
// change.
type IPsecService interface {
	Update([]IPsecPeer)
}

// ipsecPeers lists the enabled peers with their settings and tunnel
// policies. A policy names its peer with peer= (RouterOS 6.44 and 7);
// an older one by sa-dst-address, which is then the peer's address.
func ipsecPeers(m *model) []IPsecPeer {
	var out []IPsecPeer
	for _, it := range m.tables["ip ipsec peer"] {
		if it.disabled() || it.dynamic {
			continue
		}
		p := it.props
		e := func(k string) string { return effective(ipsecPeerMenu, p, k) }
		w := IPsecPeer{ID: it.ID(), Name: p["name"], Address: p["address"], LocalAddress: p["local-address"],
			Port: atoiOr(e("port"), 500), ExchangeMode: e("exchange-mode"), Passive: e("passive") == "yes",
			SendInitialContact: e("send-initial-contact") != "no"}
		prof := namedItem(m, ipsecProfileMenu.tableName(), orDefault(p["profile"], "default"))
		var pp map[string]string
		if prof != nil {
			pp = prof.props
		}
		pe := func(k string) string { return effective(ipsecProfileMenu, pp, k) }
		w.EncAlgorithm, w.HashAlgorithm, w.DHGroup, w.Lifetime = pe("enc-algorithm"), pe("hash-algorithm"), pe("dh-group"), pe("lifetime")
		w.DPDInterval, w.DPDMaximumFailures, w.NATTraversal = pe("dpd-interval"), pe("dpd-maximum-failures"), pe("nat-traversal") != "no"
		if v, ok := p["secret"]; ok { // RouterOS 6 before 6.44 keeps it on the peer
			w.Identity, w.AuthMethod, w.Secret = true, orDefault(p["auth-method"], "pre-shared-key"), v
			w.MyID, w.RemoteID, w.GeneratePolicy = "auto", "auto", orDefault(p["generate-policy"], "no")
		}
		for _, id := range m.tables["ip ipsec identity"] {
			if id.disabled() || id.props["peer"] != w.Name || w.Name == "" {
				continue
			}
			ie := func(k string) string { return effective(ipsecIdentityMenu, id.props, k) }
			w.Identity, w.AuthMethod, w.Secret = true, ie("auth-method"), ie("secret")
			w.MyID, w.RemoteID, w.GeneratePolicy = ie("my-id"), ie("remote-id"), ie("generate-policy")
			break
		}
		w.Policies = ipsecTunnels(m, w)
		out = append(out, w)
	}
	return out
}

// ipsecTunnels are the enabled tunnel policies of peer w, in list order.
func ipsecTunnels(m *model, w IPsecPeer) []IPsecTunnel {
	var out []IPsecTunnel
	for _, it := range m.tables["ip ipsec policy"] {
		if !ipsecCarried(it) || ipsecPolicyPeer(m, it) != w.ID {
			continue
		}
		e := func(k string) string { return effective(ipsecPolicyMenu, it.props, k) }
		t := IPsecTunnel{ID: it.ID(), Src: v4Prefixes(e("src-address")), Dst: v4Prefixes(e("dst-address")),
			Protocol: e("protocol"), SrcPort: e("src-port"), DstPort: e("dst-port"), Level: e("level")}
		prop := namedItem(m, ipsecProposalMenu.tableName(), orDefault(it.props["proposal"], "default"))
		var pp map[string]string
		if prop != nil {
			pp = prop.props
		}
		pe := func(k string) string { return effective(ipsecProposalMenu, pp, k) }
		t.EncAlgorithms, t.AuthAlgorithms, t.PFSGroup, t.Lifetime = pe("enc-algorithms"), pe("auth-algorithms"), pe("pfs-group"), pe("lifetime")
		out = append(out, t)
	}
	return out
}

// ipsecCarried says whether policy it can be carried by an SA rosemu
// makes: enabled, not a template, action=encrypt, tunnel=yes (strongSwan's
// user-space ESP has tunnel mode only), ESP, with IPv4 selectors.
func ipsecCarried(it *item) bool {
	e := func(k string) string { return effective(ipsecPolicyMenu, it.props, k) }
	return !it.disabled() && !it.dynamic && e("template") != "yes" && e("action") == "encrypt" && e("tunnel") == "yes" &&
		e("ipsec-protocols") == "esp" && v4Prefixes(e("src-address")) != nil && v4Prefixes(e("dst-address")) != nil
}

// ipsecPolicyPeer is the id of the enabled peer policy it names (peer=,
// else the peer whose address is its sa-dst-address), "" for none.
func ipsecPolicyPeer(m *model, it *item) string {
	name, dst := it.props["peer"], it.props["sa-dst-address"]
	for _, p := range m.tables["ip ipsec peer"] {
		if p.disabled() || p.dynamic {
			continue
		}
		if name != "" && p.props["name"] == name {
			return p.ID()
		}
		if name == "" && dst != "" && dst != "0.0.0.0" && strings.TrimSuffix(p.props["address"], "/32") == dst {
			return p.ID()
		}
	}
	return ""
}

// IPsecPeers returns the committed peers.
func (r *Router) IPsecPeers() []IPsecPeer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ipsecPeers(r.m)
}

// notifyIPsec tells the service the peers. The caller holds r.mu.
func (r *Router) notifyIPsec() {
	if r.opts.IPsec != nil {
		r.opts.IPsec.Update(ipsecPeers(r.m))
	}
}

// IPsecActivePeer is an IKE SA as /ip ipsec active-peers shows it.
type IPsecActivePeer struct {
	ID                          string // the peer's id
	RemoteAddress, LocalAddress string
	State                       string // established, ...
	Side                        string // initiator or responder
	Uptime                      string
	PH2Total                    int
}

// IPsecInstalledSA is one direction of an ESP SA, as /ip ipsec
// installed-sa shows it.
type IPsecInstalledSA struct {
	SPI                    string
	SrcAddress, DstAddress string
	State                  string
	EncAlgorithm           string
	AuthAlgorithm          string
	CurrentBytes           string
	CurrentPackets         string
}

// IPsecState is what the service reports: the TUN its ESP runs on ("":
// none), the policies whose SA is installed, and the tables of the two
// read-only menus.
type IPsecState struct {
	Tun   string
	Up    []string // policy ids
	Peers []IPsecActivePeer
	SAs   []IPsecInstalledSA
}

const (
	ipsecStateTable = "ip ipsec state"
	ipsecSATable    = "ip ipsec installed-sa"
)

// SetIPsecState records the service's state as one transaction: the
// kernel then carries the policies whose SA is up, and active-peers and
// installed-sa list what the service found. An unchanged state that
// carries the same policies changes nothing in the kernel.
func (r *Router) SetIPsecState(s IPsecState) (err error) {
	defer guarded("IPsec state", &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	up := slices.Clone(s.Up)
	slices.Sort(up)
	t := r.begin(false)
	old := tableItem(r.m, ipsecStateTable, 1)
	st := &item{id: 1, props: map[string]string{"tun": s.Tun, "up": strings.Join(up, ",")}}
	if old == nil || old.props["tun"] != st.props["tun"] || old.props["up"] != st.props["up"] {
		setTableItem(t.m, ipsecStateTable, st)
		t.changed = true
	}
	var peers, sas []*item
	for i, p := range s.Peers {
		peers = append(peers, &item{id: uint64(i + 1), dynamic: true, props: map[string]string{"id": p.ID, "remote-address": p.RemoteAddress,
			"local-address": p.LocalAddress, "state": p.State, "side": p.Side, "uptime": p.Uptime, "ph2-total": strconv.Itoa(p.PH2Total)}})
	}
	for i, a := range s.SAs {
		sas = append(sas, &item{id: uint64(i + 1), dynamic: true, props: map[string]string{"spi": a.SPI, "src-address": a.SrcAddress,
			"dst-address": a.DstAddress, "state": a.State, "enc-algorithm": a.EncAlgorithm, "auth-algorithm": a.AuthAlgorithm,
			"current-bytes": a.CurrentBytes, "current-packets": a.CurrentPackets}})
	}
	if !t.changed {
		// Only the read-only tables moved: no kernel work.
		r.m.tables[ipsecActiveMenu.tableName()] = peers
		r.m.tables[ipsecSATable] = sas
		return nil
	}
	t.m.tables[ipsecActiveMenu.tableName()] = peers
	t.m.tables[ipsecSATable] = sas
	return r.commit(t)
}

// ipsecUp returns the TUN the service reported and the policies it
// carries now.
func ipsecUp(m *model) (string, map[string]bool) {
	st := tableItem(m, ipsecStateTable, 1)
	if st == nil || st.props["tun"] == "" {
		return "", nil
	}
	up := map[string]bool{}
	for _, id := range strings.Split(st.props["up"], ",") {
		if id != "" {
			up[id] = true
		}
	}
	return st.props["tun"], up
}
