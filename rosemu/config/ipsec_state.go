package config

import (
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// ipsecPolicies are the router's IPv4 IPsec policies of the outgoing
// direction for the kernel (kernel.IPsecPolicy, forum34 D1 and D3): the
// enabled /ip ipsec policy items that are not templates, in list order,
// then the transport policy RouterOS adds for each enabled GRE, IPIP or
// EoIP tunnel with an ipsec-secret (GRE page,
// https://help.mikrotik.com/docs/display/ROS/GRE: "router adds dynamic
// IPsec peer to remote-address with pre-shared key and policy"), which
// covers the tunnel's own packets from local-address to remote-address.
// rosemu makes no SA for either: the kernel drops what they cover, as
// RouterOS does while no SA is up. IPv6 selectors are left out (rosemu's
// IPv6 firewall keeps the kernel's xfrm match).
func ipsecPolicies(m *model) []kernel.IPsecPolicy {
	var out []kernel.IPsecPolicy
	tun, up := ipsecUp(m)
	for _, it := range m.tables["ip ipsec policy"] {
		if it.disabled() || it.dynamic || effective(ipsecPolicyMenu, it.props, "template") == "yes" {
			continue
		}
		src := v4Prefixes(effective(ipsecPolicyMenu, it.props, "src-address"))
		dst := v4Prefixes(effective(ipsecPolicyMenu, it.props, "dst-address"))
		if len(src) == 0 || len(dst) == 0 {
			continue // an IPv6 policy
		}
		p := kernel.IPsecPolicy{What: "ipsec policy " + it.ID(), Src: src, Dst: dst,
			Action: effective(ipsecPolicyMenu, it.props, "action"), Level: effective(ipsecPolicyMenu, it.props, "level")}
		if up[it.ID()] && ipsecCarried(it) {
			p.Tun = tun
		}
		if proto := effective(ipsecPolicyMenu, it.props, "protocol"); proto != "all" && proto != "" {
			n, err := kernel.ProtocolNumber(proto)
			if err != nil {
				continue // refused when it was set
			}
			p.Proto = n
		}
		for _, x := range []struct {
			to   *string
			prop string
		}{{&p.SrcPort, "src-port"}, {&p.DstPort, "dst-port"}} {
			if v := effective(ipsecPolicyMenu, it.props, x.prop); v != "any" {
				*x.to = v
			}
		}
		out = append(out, p)
	}
	for _, tm := range []struct {
		menu  *menu
		proto int
	}{{greMenu, 47}, {ipipMenu, 4}, {eoipMenu, 47}} {
		for _, it := range m.tables[tm.menu.tableName()] {
			if it.disabled() || it.props["ipsec-secret"] == "" {
				continue
			}
			remote, err := netip.ParseAddr(it.props["remote-address"])
			if err != nil || !remote.Is4() {
				continue
			}
			local := netip.MustParsePrefix("0.0.0.0/0")
			if a, err := netip.ParseAddr(it.props["local-address"]); err == nil && a.Is4() && !a.IsUnspecified() {
				local = netip.PrefixFrom(a, 32)
			}
			out = append(out, kernel.IPsecPolicy{What: strings.TrimPrefix(tm.menu.path, "interface ") + " " + it.props["name"] + " ipsec-secret",
				Src: []netip.Prefix{local}, Dst: []netip.Prefix{netip.PrefixFrom(remote, 32)}, Proto: tm.proto, Action: "encrypt", Level: "require"})
		}
	}
	return out
}

// v4Prefixes reads an address list of IPv4 prefixes ("192.168.88.0/24"),
// nil when one of them is not IPv4.
func v4Prefixes(v string) []netip.Prefix {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if !p.Addr().Is4() {
			return nil
		}
		out = append(out, p.Masked())
	}
	return out
}
