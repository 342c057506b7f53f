package runner

import (
	"context"
	"net/netip"
	"regexp"
	"strings"
)

// l3Interface returns the interface that holds the addresses a host wired
// to port reaches: the port itself, or the bridge it is an enabled port of
// (on RouterOS an address on a bridge port is invalid; the bridge is the L3
// interface), or on a vlan-filtering bridge the VLAN interface of the
// port's pvid, which carries the host's untagged frames.
func (e *labEnv) l3Interface(ctx context.Context, port string) (string, error) {
	return l3Of(ctx, e.rc, port)
}

// l3Of is l3Interface on any reader of the router's menus.
func l3Of(ctx context.Context, p printer, port string) (string, error) {
	rows, err := p.Print(ctx, "/interface/bridge/port", "?interface="+port, "?disabled=false")
	if err != nil {
		return "", err
	}
	for _, r := range rows {
		b := r["bridge"]
		if b == "" {
			continue
		}
		brs, err := p.Print(ctx, "/interface/bridge", "?name="+b)
		if err != nil {
			return "", err
		}
		if len(brs) == 0 || brs[0]["vlan-filtering"] != "true" {
			return b, nil
		}
		pvid := r["pvid"]
		if pvid == "" {
			pvid = "1"
		}
		vlans, err := p.Print(ctx, "/interface/vlan", "?interface="+b, "?vlan-id="+pvid)
		if err != nil {
			return "", err
		}
		if len(vlans) > 0 && vlans[0]["name"] != "" {
			return vlans[0]["name"], nil
		}
		return b, nil
	}
	return port, nil
}

// nearAddress picks, among an interface's addresses, the one on the subnet
// of the first of prefer that any of them holds (a bridge may carry several
// LAN subnets), else the first. A host's own address comes first and the
// port's lab address after it: a probe from the internet to router.wan
// names a host on no subnet of the port, and the port's lab address then
// tells the ISP's lease from an export's static address on the same port.
// When prefer names addresses and no row holds any of them, the first
// dynamic address (the ISP's) comes before the first: a renumbered PPPoE
// session's /32 holds no other address, and the static second address an
// export puts on pppoe-out1 (listed first) was taken for router.wan, so
// renumber-wan waited 60 s for the new address and failed (f69 D4).
func nearAddress(rows []map[string]string, prefer ...netip.Addr) (netip.Addr, bool) {
	var first, dynamic netip.Addr
	for _, r := range rows {
		if p, err := netip.ParsePrefix(r["address"]); err == nil {
			if !first.IsValid() {
				first = p.Addr()
			}
			if !dynamic.IsValid() && r["dynamic"] == "true" {
				dynamic = p.Addr()
			}
		}
	}
	preferred := false
	for _, near := range prefer {
		if !near.IsValid() {
			continue
		}
		preferred = true
		var static netip.Addr
		for _, r := range rows {
			p, err := netip.ParsePrefix(r["address"])
			if err != nil || !p.Contains(near) {
				continue
			}
			// A DHCP lease beside a static address of the same subnet
			// (an export that has both) is the one the lab's ISP
			// leases and renumber-wan moves.
			if r["dynamic"] == "true" {
				return p.Addr(), true
			}
			if !static.IsValid() {
				static = p.Addr()
			}
		}
		if static.IsValid() {
			return static, true
		}
	}
	if preferred && dynamic.IsValid() {
		return dynamic, true
	}
	return first, first.IsValid()
}

// lacksRE finds rosemu's refusal of a configuration that this machine's
// kernel cannot build ("... (the kernel lacks 802.1Q VLAN support
// (CONFIG_VLAN_8021Q))").
var lacksRE = regexp.MustCompile(`the kernel lacks ([^()]+\(CONFIG_[A-Z0-9_]+\))`)

// kernelLacks turns such a refusal into the reason to skip the scenario:
// the router under test runs on this machine's kernel (rosemu) and cannot
// have the feature here; the vm backend boots a kernel that has it.
func kernelLacks(err error) (string, bool) {
	m := lacksRE.FindStringSubmatch(err.Error())
	if m == nil {
		return "", false
	}
	// The head names the feature: the error's own "(the kernel lacks
	// ...)" is not said a second time inside it (forum31 D5 c).
	inner := strings.TrimSpace(strings.Replace(err.Error(), " (the kernel lacks "+m[1]+")", "", 1))
	return "the router's kernel lacks " + m[1] + " (" + inner + "); run it on a kernel that has it, such as the vm router (--router vm; ROUTER=vm with make lab)", true
}

// lacksFeature is the feature a kernelLacks refusal names ("802.1Q VLAN
// support (CONFIG_VLAN_8021Q)").
func lacksFeature(err error) string {
	if m := lacksRE.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}

// kernelLacksError ends a run whose rosemu was chosen automatically and
// whose configuration this machine's kernel cannot build: Run tries again
// with the vm backend.
type kernelLacksError struct {
	feature string
	err     error
}

func (e *kernelLacksError) Error() string { return e.err.Error() }
func (e *kernelLacksError) Unwrap() error { return e.err }
