package lab

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Wiring says how a lab's networks are wired.
//
// WiringNetns (the default) keeps every lab segment out of this machine's
// network namespace: one "wire" container per lab, without a network of
// its own, holds a Linux bridge per lab network, and every member reaches
// those bridges over veth pairs. Lab frames never cross a bridge of the
// host, so br_netfilter never hands them to the host's iptables and
// conntrack, and two labs with the same addresses cannot meet anywhere.
//
// WiringDocker makes each lab network a Docker network: a bridge in the
// host's namespace, whose frames pass the host's netfilter when
// br_netfilter is loaded (bridge-nf-call-iptables=1). It is kept as the
// negative control of the isolation test and as a fallback
// (CHRLAB_WIRING=docker).
type Wiring string

const (
	WiringNetns  Wiring = "netns"
	WiringDocker Wiring = "docker"
)

// WiringEnv selects the wiring when Options.Wiring is empty.
const WiringEnv = "CHRLAB_WIRING"

// wiring resolves the wiring of a run: the option, else the environment,
// else netns.
func wiring(w Wiring) (Wiring, error) {
	if w == "" {
		w = Wiring(os.Getenv(WiringEnv))
	}
	switch w {
	case "", WiringNetns:
		return WiringNetns, nil
	case WiringDocker:
		return WiringDocker, nil
	}
	return "", fmt.Errorf("choose the lab wiring: %s=%q is neither %q nor %q", WiringEnv, w, WiringNetns, WiringDocker)
}

// wiredMarker is the file the wire container creates in a member once all
// of the member's lab interfaces exist, are addressed and up; the member's
// entrypoint waits for it (waitWired) before starting its program, which
// looks its interfaces up by their wire addresses at once.
const wiredMarker = "/run/chrlab-wired"

// waitWired wraps a member's command: a shell waits for wiredMarker, then
// execs the image's own entrypoint and command, which so stays PID 1.
func waitWired(argv []string) []string {
	script := "while [ ! -e " + wiredMarker + " ]; do sleep 0.02; done; exec \"$@\""
	return append([]string{"/bin/sh", "-c", script, "chrlab-wait"}, argv...)
}

// veth is one lab interface of a member wired over a veth pair: the
// member's end is called name and holds the wire address addr, the other
// end is a port of the wire container's bridge of network index net.
type veth struct {
	name string
	net  int
	addr netip.Prefix
}

// wireBridge is the name, inside the wire container, of the bridge of the
// lab network with index i in Spec.Networks.
func wireBridge(i int) string { return fmt.Sprintf("br%d", i) }

// wireBox is a lab's wire container: its ID once it runs, and ready closed
// when its bridges exist (err says whether that went well).
type wireBox struct {
	id    string
	ready chan struct{}
	err   error
	// next numbers the wire ends of veth pairs, unique in the wire
	// container.
	mu   sync.Mutex
	next int
}

// startWire creates and starts the wire container and its bridges. It may
// administer namespaces and shares the host's PID namespace because it creates veth
// pairs straight into the members' namespaces (ip link ... netns PID) and
// configures their ends there (nsenter): it is the one process that can
// reach both sides, also when the Docker engine runs on another machine.
// It has no network: its own namespace is the lab's L2.
func (l *Lab) startWire(ctx context.Context, image string) (err error) {
	defer func() {
		if err != nil {
			l.box.err = fmt.Errorf("start the wire container: %w", err)
			err = l.box.err
		}
		close(l.box.ready)
	}()
	sysctls := map[string]string{
		// Nothing in the lab's L2 speaks IPv6 of its own accord (bridge
		// ports would otherwise send router and neighbour solicitations).
		"net.ipv6.conf.all.disable_ipv6":     "1",
		"net.ipv6.conf.default.disable_ipv6": "1",
	}
	if _, err := os.Stat(bridgeNFCallIptables); err == nil {
		// The wire namespace has no rules, but with br_netfilter frames
		// bridged there would still be handed to its IP hooks; 0 keeps the
		// bridges pure L2, as a switch is.
		sysctls["net.bridge.bridge-nf-call-iptables"] = "0"
		sysctls["net.bridge.bridge-nf-call-ip6tables"] = "0"
		sysctls["net.bridge.bridge-nf-call-arptables"] = "0"
	}
	name := fmt.Sprintf("chrlab-%s-wire", l.RunID)
	// Not --privileged: it asks for every capability, which an engine
	// that runs with fewer itself (a nested one) cannot grant. NET_ADMIN
	// makes links, SYS_ADMIN enters other namespaces, SYS_PTRACE opens
	// other processes' /proc/PID/ns.
	hc := &container.HostConfig{NetworkMode: "none", PidMode: "host", Sysctls: sysctls,
		CapAdd: []string{"NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE"}}
	limit(hc, HostMemoryMiB, HostPids)
	zero := 0
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createTimeout)
	res, err := l.docker.ContainerCreate(cctx, client.ContainerCreateOptions{
		Name:  name,
		Image: image,
		Config: &container.Config{
			Hostname:    "wire",
			Entrypoint:  []string{"/usr/bin/tini", "--", "sleep", "infinity"},
			Labels:      l.labels(""),
			StopTimeout: &zero,
		},
		HostConfig: hc,
	})
	cancel()
	if err != nil {
		return fmt.Errorf("create %s from %s: %w", name, image, err)
	}
	l.box.id = res.ID
	if _, err := l.docker.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	var script strings.Builder
	script.WriteString("set -e\n")
	for i := range l.Spec.Networks {
		br := wireBridge(i)
		fmt.Fprintf(&script, "ip link add %s type bridge\nip link set %s up\n", br, br)
	}
	if err := l.wireRun(ctx, script.String()); err != nil {
		return fmt.Errorf("create the lab bridges in %s: %w", name, err)
	}
	l.logf("wire %s ready: %d lab networks bridged outside this machine's namespace", name, len(l.Spec.Networks))
	return nil
}

// wireMember creates the veth pairs of a started member, addresses and
// raises its ends, and then lets its entrypoint go on (wiredMarker).
func (l *Lab) wireMember(ctx context.Context, node, containerID string, vs []veth) error {
	select {
	case <-l.box.ready:
	case <-ctx.Done():
		return fmt.Errorf("wire %s: %w", node, ctx.Err())
	}
	if l.box.err != nil {
		return fmt.Errorf("wire %s: %w", node, l.box.err)
	}
	ins, err := l.docker.ContainerInspect(ctx, containerID, client.ContainerInspectOptions{})
	if err != nil {
		return fmt.Errorf("wire %s: inspect its container: %w", node, err)
	}
	if ins.Container.State == nil || ins.Container.State.Pid == 0 {
		return fmt.Errorf("wire %s: its container has no process (it exited at once?)", node)
	}
	pid := ins.Container.State.Pid
	var s strings.Builder
	s.WriteString("set -e\n")
	for _, v := range vs {
		l.box.mu.Lock()
		peer := fmt.Sprintf("v%d", l.box.next)
		l.box.next++
		l.box.mu.Unlock()
		fmt.Fprintf(&s, "ip link add %s type veth peer name %s netns %d\n", peer, v.name, pid)
		fmt.Fprintf(&s, "ip link set %s master %s up\n", peer, wireBridge(v.net))
		fmt.Fprintf(&s, "nsenter -t %d -n ip addr add %s dev %s\n", pid, v.addr, v.name)
		fmt.Fprintf(&s, "nsenter -t %d -n ip link set %s up\n", pid, v.name)
	}
	fmt.Fprintf(&s, "nsenter -t %d -m touch %s\n", pid, wiredMarker)
	if err := l.wireRun(ctx, s.String()); err != nil {
		return fmt.Errorf("wire %s (pid %d): %w", node, pid, err)
	}
	return nil
}

// wireRun runs a shell script in the wire container and fails with its
// output when it fails.
func (l *Lab) wireRun(ctx context.Context, script string) error {
	res, err := l.runIn(ctx, l.box.id, "wire", []string{"/bin/sh", "-c", script})
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("exit status %d: %s", res.ExitCode, strings.TrimSpace(string(res.Stderr)+string(res.Stdout)))
	}
	return nil
}

// entrypointOf returns the entrypoint of an image, asked once per image.
func (l *Lab) entrypointOf(ctx context.Context, image string) ([]string, error) {
	ins, err := l.docker.ImageInspect(ctx, image)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil, fmt.Errorf("read the entrypoint of image %s: no such image (chrlab images builds it)", image)
		}
		return nil, fmt.Errorf("read the entrypoint of image %s: %w", image, err)
	}
	if ins.Config == nil {
		return nil, nil
	}
	return ins.Config.Entrypoint, nil
}

// vethOf is the veth of a lab interface: its member end called name, with
// the interface's wire address on the wire subnet of its network, which is
// how labagent, rosemu and qemuboot find it, as with Docker's wiring.
func (l *Lab) vethOf(in Interface, name string) veth {
	idx := 0
	for i, nw := range l.Spec.Networks {
		if nw.Name == in.Network {
			idx = i
		}
	}
	w := l.wire[in.Network]
	return veth{name: name, net: idx, addr: netip.PrefixFrom(l.wireAddr(in), w.Bits())}
}
