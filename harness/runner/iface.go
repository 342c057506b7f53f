package runner

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
)

// printer is the part of the router's API client that reads a menu.
type printer interface {
	Print(ctx context.Context, path string, words ...string) ([]map[string]string, error)
}

// checkInterface makes sure the router has the interface name that
// router.<port> stands for. Any RouterOS interface name is accepted when
// the scenario loads (bridge1, vlan20, pppoe-out1); only the live router
// can say whether it has one, and the error lists the ones it has.
func checkInterface(ctx context.Context, p printer, name, port string) error {
	rows, err := p.Print(ctx, "/interface", "?name="+name)
	if err != nil {
		return fmt.Errorf("look up interface %s (router.%s) on the router: %w", name, port, err)
	}
	if len(rows) > 0 {
		return nil
	}
	var have []string
	if all, err := p.Print(ctx, "/interface"); err == nil {
		for _, r := range all {
			have = append(have, r["name"])
		}
	}
	return fmt.Errorf("resolve router.%s: the router has no interface %q (it has: %s)", port, name, strings.Join(have, ", "))
}

// vlanAddr finds, among the VLAN interfaces on port, the address whose
// subnet holds near: router.lan as a host in one VLAN of a trunk sees it.
func vlanAddr(ctx context.Context, p printer, port string, near netip.Addr) (netip.Addr, bool) {
	vlans, err := p.Print(ctx, "/interface/vlan", "?interface="+port, "?disabled=false")
	if err != nil {
		return netip.Addr{}, false
	}
	for _, v := range vlans {
		rows, err := p.Print(ctx, "/ip/address", "?interface="+v["name"], "?disabled=false")
		if err != nil {
			continue
		}
		for _, r := range rows {
			if a, err := netip.ParsePrefix(r["address"]); err == nil && a.Contains(near) {
				return a.Addr(), true
			}
		}
	}
	return netip.Addr{}, false
}
