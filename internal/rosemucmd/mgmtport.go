package rosemucmd

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// mgmtKernel is the data plane of a router whose management NIC is one of
// its RouterOS ports (the vm guest, standing in for CHR): the port's
// addresses go to the management namespace, everything else to the router
// namespace, so management traffic never mixes with the lab's. The data
// plane is embedded so that what else the configuration layer asks of it
// (the entries rules added to address lists, learned neighbours, routes
// kept out) still reaches it: as a plain field it hid them, and the vm
// backend printed no address-list entry a rule had added (forum48: a
// brute-force chain blacklisted a host that /ip firewall address-list
// find did not show), no learned ARP entry and no route as inactive.
type mgmtKernel struct {
	*kernel.Dataplane
	port string
}

func (k mgmtKernel) Apply(st *kernel.State) error {
	s := *st
	s.Ports = nil
	for _, p := range st.Ports {
		if p != k.port {
			s.Ports = append(s.Ports, p)
		}
	}
	s.Addresses = nil
	var mine []netip.Prefix
	for _, a := range st.Addresses {
		if a.Interface == k.port {
			mine = append(mine, a.Prefix)
			continue
		}
		s.Addresses = append(s.Addresses, a)
	}
	if err := k.Dataplane.Apply(&s); err != nil {
		return err
	}
	return k.SyncMgmtAddrs(k.port, mine)
}

// portMAC reads a link's MAC as RouterOS prints it.
func portMAC(name string) (string, error) {
	l, err := netlink.LinkByName(name)
	if err != nil {
		return "", fmt.Errorf("read the MAC of %s: %w", name, err)
	}
	return strings.ToUpper(l.Attrs().HardwareAddr.String()), nil
}

// runAutorun runs the script file once, as RouterOS runs rw/autorun.scr at
// boot, and removes it. A failing script is logged, as RouterOS logs it,
// and does not stop the router.
func runAutorun(ctx context.Context, log *slog.Logger, r *config.Router, path string) {
	src, err := os.ReadFile(path)
	if err != nil {
		log.Error("autorun", "file", path, "error", err)
		return
	}
	_ = os.Remove(path)
	if strings.TrimSpace(string(src)) == "" {
		return
	}
	if err := r.RunScript(ctx, "autorun", string(src), nil); err != nil {
		log.Error("autorun", "file", path, "error", err)
		return
	}
	log.Info("autorun done", "file", path, "bytes", len(src))
}
