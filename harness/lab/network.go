package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// createTimeout bounds one create call. Creates run with a context the
// caller cannot cancel, so that every object is recorded (and so removed)
// once the engine made it: a create cancelled midway may still complete in
// the engine, unseen.
const createTimeout = 20 * time.Second

// labNet is a created Docker network.
type labNet struct {
	name   string // the Docker network name
	subnet netip.Prefix
}

// createNetworks creates one internal network per lab network and the
// router's management network, and returns them by lab network name (the
// management network under mgmtKey).
func (l *Lab) createNetworks(ctx context.Context, opts Options) (map[string]labNet, error) {
	nets := map[string]labNet{}
	wire, err := wireSubnets(ctx, l.docker, l.Spec)
	if err != nil {
		return nil, err
	}
	l.wire = wire
	for i, nw := range l.Spec.Networks {
		if nw.Trunk != "" {
			l.logf("network %s %s is VLAN %d on %s", nw.Name, nw.Subnet, nw.VLAN, nw.Trunk)
			continue
		}
		if l.wiring == WiringNetns {
			// The wire container bridges it (netns.go); the wire subnet
			// only addresses the interfaces until their owners take them.
			l.logf("network %s %s wired as %s inside the lab", nw.Name, nw.Subnet, wire[nw.Name])
			continue
		}
		name := l.networkName(nw.Name)
		w := wire[nw.Name]
		err := l.createNetwork(ctx, name, bridgeName(l.RunID, fmt.Sprint(i)), w, wireGateway(w), true)
		if err != nil {
			return nil, fmt.Errorf("create network %s (%s, wired as %s): %w", nw.Name, nw.Subnet, w, err)
		}
		nets[nw.Name] = labNet{name: name, subnet: w}
		l.logf("network %s %s created (%s, wired as %s)", nw.Name, nw.Subnet, name, w)
	}

	name := fmt.Sprintf("chrlab-%s-mgmt", l.RunID)
	candidates := []netip.Prefix{opts.MgmtSubnet}
	if !opts.MgmtSubnet.IsValid() {
		var err error
		if candidates, err = mgmtCandidates(ctx, l.docker, l.Spec); err != nil {
			return nil, err
		}
	}
	var errs []error
	for _, pfx := range candidates {
		err := l.createNetwork(ctx, name, bridgeName(l.RunID, "m"), pfx, mgmtHostAddr(pfx), false)
		if err == nil {
			l.mgmt = pfx
			nets[mgmtKey] = labNet{name: name, subnet: pfx}
			l.logf("network management %s created (%s); this machine is %s, the router %s", pfx, name, mgmtHostAddr(pfx), mgmtRouterAddr(pfx))
			return nets, nil
		}
		errs = append(errs, err)
		// Another lab may have taken the subnet between our listing and
		// our create: only that error is worth trying the next one for.
		if !isPoolOverlap(err) || ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("create the management network: %w", errors.Join(errs...))
}

// mgmtKey is the key of the management network in the map of networks; no
// lab network can have it since names start with a letter.
const mgmtKey = "#mgmt"

// createNetwork creates an internal bridge network. A lab network
// (inhibit=true) gives the host no address on it: Docker still needs a
// gateway in IPAM, which stays unassigned (wireGateway, outside the
// lab's host numbers). The
// management network keeps the host's address (.1), which is how this
// machine reaches the router.
func (l *Lab) createNetwork(ctx context.Context, name, bridge string, subnet netip.Prefix, gateway netip.Addr, inhibit bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	options := map[string]string{"com.docker.network.bridge.name": bridge}
	if inhibit {
		options["com.docker.network.bridge.inhibit_ipv4"] = "true"
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createTimeout)
	defer cancel()
	_, err := l.docker.NetworkCreate(cctx, name, client.NetworkCreateOptions{
		Driver:   "bridge",
		Internal: true,
		IPAM:     &network.IPAM{Config: []network.IPAMConfig{{Subnet: subnet, Gateway: gateway}}},
		Options:  options,
		Labels:   l.labels(""),
	})
	if err != nil {
		if isPoolOverlap(err) {
			if other := l.networkWithSubnet(cctx, subnet); other != "" {
				err = fmt.Errorf("%w (Docker network %s has it; `make down` removes leftover labs)", err, other)
			}
		}
		return err
	}
	return ctx.Err()
}

// networkWithSubnet names the Docker network holding subnet, if any.
func (l *Lab) networkWithSubnet(ctx context.Context, subnet netip.Prefix) string {
	res, err := l.docker.NetworkList(ctx, client.NetworkListOptions{})
	if err != nil {
		return ""
	}
	for _, n := range res.Items {
		for _, c := range n.IPAM.Config {
			if c.Subnet.Overlaps(subnet) {
				return n.Name
			}
		}
	}
	return ""
}

func isPoolOverlap(err error) bool {
	return err != nil && strings.Contains(err.Error(), "overlaps")
}

// bridgeName is the Linux name of a lab bridge: "chrlab" + run + suffix,
// within the kernel's 15 bytes, and matched by the forward rule's chrlab+.
func bridgeName(run, suffix string) string {
	n := "chrlab" + run + suffix
	if len(n) > 15 {
		n = n[:15]
	}
	return n
}

func mgmtHostAddr(p netip.Prefix) netip.Addr   { return p.Masked().Addr().Next() }
func mgmtRouterAddr(p netip.Prefix) netip.Addr { return p.Masked().Addr().Next().Next() }

// mgmtRanges are where the management subnet is looked for, a /24 from
// the top of each downward, in order: 172.31.255.0/24 first; a lab whose
// own network covers it (an export's 172.16.0.0/12 hotspot pool) takes
// one of the next ranges.
var mgmtRanges = [][2]byte{{172, 31}, {10, 255}, {192, 168}}

// mgmtCandidates lists up to 8 /24s of mgmtRanges (the third octet from
// 255 down to 200) that overlap no address or route of this machine, no
// Docker network and no lab network.
func mgmtCandidates(ctx context.Context, docker *dockerClient, spec *Spec) ([]netip.Prefix, error) {
	used, err := usedPrefixes(ctx, docker, spec)
	if err != nil {
		return nil, err
	}
	out := freeMgmt(used)
	if len(out) == 0 {
		return nil, errors.New("pick a management subnet: every /24 of 172.31.200.0 to 172.31.255.0, 10.255.200.0 to 10.255.255.0 and 192.168.200.0 to 192.168.255.0 overlaps a network of this machine, of Docker or of the lab; remove unused Docker networks (docker network prune)")
	}
	return out, nil
}

// freeMgmt is mgmtCandidates on the prefixes in use.
func freeMgmt(used []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range mgmtRanges {
		for third := 255; third >= 200 && len(out) < 8; third-- {
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{r[0], r[1], byte(third), 0}), 24)
			if !overlapsAny(p, used) {
				out = append(out, p)
			}
		}
	}
	return out
}

// usedPrefixes lists what a new Docker subnet must not overlap: the lab's
// own subnets, this machine's networks and every existing Docker network.
func usedPrefixes(ctx context.Context, docker *dockerClient, spec *Spec) ([]netip.Prefix, error) {
	var used []netip.Prefix
	for _, nw := range spec.Networks {
		used = append(used, nw.Subnet)
	}
	hostNets, err := hostPrefixes()
	if err != nil {
		return nil, err
	}
	used = append(used, hostNets...)
	res, err := docker.NetworkList(ctx, client.NetworkListOptions{})
	if err != nil {
		return nil, fmt.Errorf("list Docker networks to pick free subnets: %w", err)
	}
	for _, n := range res.Items {
		for _, c := range n.IPAM.Config {
			if c.Subnet.IsValid() {
				used = append(used, c.Subnet)
			}
		}
	}
	return used, nil
}

func overlapsAny(p netip.Prefix, used []netip.Prefix) bool {
	for _, u := range used {
		if u.Overlaps(p) {
			return true
		}
	}
	return false
}

// hostPrefixes returns the networks of this machine's interface addresses.
func hostPrefixes() ([]netip.Prefix, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("list this machine's addresses: %w", err)
	}
	var out []netip.Prefix
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(ipn.IP)
		if !ok {
			continue
		}
		ones, _ := ipn.Mask.Size()
		out = append(out, netip.PrefixFrom(ip.Unmap(), ones))
	}
	return out, nil
}

// HostOwnsIn reports whether this machine has an address inside p, which
// a lab network under Docker's wiring cannot be (checkHostAddresses
// refuses it); chrlab check's own networks avoid such a prefix anyway.
func HostOwnsIn(p netip.Prefix) bool {
	host, err := hostPrefixes()
	if err != nil {
		return false // the lab's own check reports the error
	}
	for _, h := range host {
		if p.Contains(h.Addr()) {
			return true
		}
	}
	return false
}

// checkHostAddresses refuses, under Docker's wiring, a lab whose subnets
// hold an address of this machine: its lab bridges are in this machine's
// namespace, so packets for that address would stay on the host instead of
// reaching the lab member, and the lab could reach beyond this machine.
func checkHostAddresses(spec *Spec) error {
	host, err := hostPrefixes()
	if err != nil {
		return err
	}
	for _, nw := range spec.Networks {
		for _, h := range host {
			if nw.Subnet.Contains(h.Addr()) {
				return fmt.Errorf("bring up lab %s: this machine owns %s inside lab network %s (%s); remove it or leftover lab networks (`make down`)", spec.Name, h.Addr(), nw.Name, nw.Subnet)
			}
		}
	}
	return nil
}

// forwardRule lets frames cross a lab bridge. With br_netfilter loaded
// (bridge-nf-call-iptables=1, as on these machines), bridged frames pass the
// host's FORWARD chain, where Docker's isolation rules for internal networks
// drop every frame whose source or destination is outside the bridge's
// subnet: that is every routed packet of a lab (a client on the LAN talking
// to the router's WAN address, or a peer behind the ISP). DOCKER-USER runs
// before those rules. Matching only frames that enter and leave chrlab
// bridges keeps the host from forwarding lab traffic anywhere else: the
// host owns no address on lab bridges, so it routes nothing from them.
var forwardRule = []string{"DOCKER-USER", "-i", "chrlab+", "-o", "chrlab+", "-j", "ACCEPT", "-m", "comment", "--comment", "chrlab: routed lab traffic crosses lab bridges"}

// ensureForwardRule installs forwardRule once per machine; it is left in
// place between labs (it matches nothing without a lab) and DownAll
// removes it.
func ensureForwardRule(ctx context.Context) error {
	if !bridgeNetfilter() {
		return nil
	}
	if err := iptables(ctx, append([]string{"-C"}, forwardRule...)...); err == nil {
		return nil
	}
	if err := iptables(ctx, append([]string{"-I"}, forwardRule...)...); err != nil {
		return fmt.Errorf("allow routed traffic across lab bridges (bridge-nf-call-iptables is on, so Docker's isolation rules would drop it): %w", err)
	}
	return nil
}

func removeForwardRule(ctx context.Context) error {
	if _, err := exec.LookPath("iptables"); err != nil {
		return nil
	}
	// -D removes one copy; loop in case two processes raced to insert it.
	for iptables(ctx, append([]string{"-C"}, forwardRule...)...) == nil {
		if err := iptables(ctx, append([]string{"-D"}, forwardRule...)...); err != nil {
			return fmt.Errorf("remove the lab forward rule: %w", err)
		}
	}
	return nil
}

// bridgeNetfilter reports whether bridged IPv4 frames traverse iptables.
func bridgeNetfilter() bool {
	b, err := os.ReadFile("/proc/sys/net/bridge/bridge-nf-call-iptables")
	return err == nil && strings.TrimSpace(string(b)) == "1"
}

func iptables(ctx context.Context, args ...string) error {
	// -w waits for the xtables lock that dockerd also takes.
	out, err := exec.CommandContext(ctx, "iptables", append([]string{"-w", "5"}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("iptables %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
