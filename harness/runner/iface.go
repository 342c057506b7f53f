package runner

import (
	"context"
	"fmt"
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
