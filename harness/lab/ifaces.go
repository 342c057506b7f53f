package lab

import (
	"context"
	"fmt"
	"strings"

	"github.com/moby/moby/client"
)

// InterfaceOn names the interface of a member (a node or the router) that
// is attached to a lab network, as the member's own kernel calls it now.
// Names cannot be taken from the attach order (Docker numbers interfaces
// as it pleases) nor kept from the start (rosemu renames the router's
// ports to ether1, ether2, ...), so the interface is found by the MAC
// address Docker gave the member's endpoint on that network.
func (l *Lab) InterfaceOn(ctx context.Context, member, network string) (string, error) {
	m, ok := l.member(member)
	if !ok {
		return "", fmt.Errorf("find the interface of %s on %s in lab %s: no member %s (have %v)", member, network, l.Spec.Name, member, l.Members())
	}
	mac, err := l.macOn(ctx, m, member, network)
	if err != nil {
		return "", err
	}
	// One line per interface, "name mac", read from sysfs: every image has
	// a shell, not every image has the same ip(8).
	out, code, err := l.Exec(ctx, member, []string{"sh", "-c", `for i in /sys/class/net/*; do echo "${i##*/} $(cat "$i/address")"; done`})
	if err != nil || code != 0 {
		return "", fmt.Errorf("find the interface of %s on %s: list its interfaces (exit %d): %w", member, network, code, err)
	}
	if name, ok := ifaceWithMAC(string(out), mac); ok {
		return name, nil
	}
	return "", fmt.Errorf("find the interface of %s on %s: no interface has MAC %s:\n%s", member, network, mac, out)
}

// macOn is the MAC address of member's interface on network: the one chrlab
// gave its veth (netns wiring), or the one Docker gave its endpoint.
func (l *Lab) macOn(ctx context.Context, m *member, name, network string) (string, error) {
	if l.wiring == WiringNetns {
		wn := l.Spec.WireNetwork(network)
		for _, v := range l.veths[name] {
			if l.Spec.Networks[v.net].Name == wn {
				return v.macOf(), nil
			}
		}
		return "", fmt.Errorf("find the interface of %s on %s: it has no veth on that network", name, network)
	}
	res, err := l.docker.ContainerInspect(ctx, m.containerID, client.ContainerInspectOptions{})
	if err != nil {
		return "", fmt.Errorf("find the interface of %s on %s: inspect its container: %w", name, network, err)
	}
	docker := l.networkName(network)
	if ns := res.Container.NetworkSettings; ns != nil {
		if ep, ok := ns.Networks[docker]; ok && ep != nil {
			return strings.ToLower(ep.MacAddress.String()), nil
		}
	}
	return "", fmt.Errorf("find the interface of %s on %s: its container has no endpoint on Docker network %s", name, network, docker)
}

// ifaceWithMAC picks the interface whose address is mac from "name mac"
// lines.
func ifaceWithMAC(list, mac string) (string, bool) {
	for _, line := range strings.Split(list, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && strings.EqualFold(f[1], mac) {
			return f[0], true
		}
	}
	return "", false
}

// networkName is the Docker network of a lab network (createNetworks).
func (l *Lab) networkName(network string) string {
	return fmt.Sprintf("chrlab-%s-%s", l.RunID, network)
}
