package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/chrlab/chrlab/internal/shpause"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"

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

// ResolveWiring is the wiring a lab started with Options.Wiring w gets.
func ResolveWiring(w Wiring) (Wiring, error) { return wiring(w) }

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

// waitWired wraps a member's command. The wire container creates the
// member's interfaces straight in its namespace; this shell waits until
// they all exist, gives each its wire address and raises it, waits until
// each has carrier (the wire's end is up on its bridge), and then execs the
// image's own entrypoint and command, which so stays PID 1 and finds its
// interfaces by their wire addresses at once, as under Docker's wiring.
//
// It polls with shpause, not the sleep program: a member waits one to
// three seconds for its wiring, and a sleep process per poll cost it 0.1
// to 0.25 CPU-s (cgroup cpuacct of a host, 2026-12-05), eight members a
// lab, on the machine the lab's own start competes for.
func waitWired(vs []veth, argv []string) []string {
	var names, batch string
	for _, v := range vs {
		names += " " + v.name
		batch += fmt.Sprintf("addr add %s dev %s\nlink set %s up\n", v.addr, v.name, v.name)
	}
	script := shpause.Define + `for n in` + names + `; do
	until [ -e /sys/class/net/$n ]; do pause 0.02; done
done
printf '` + batch + `' | ip -batch - || { echo "chrlab: address the lab interfaces:` + names + `" >&2; exit 1; }
for n in` + names + `; do
	c=0
	until [ "$c" = 1 ]; do read -r c < /sys/class/net/$n/carrier || c=0; [ "$c" = 1 ] || pause 0.02; done
done
exec 3<&-
exec "$@"`
	if len(vs) == 0 {
		return append([]string{"/bin/sh", "-c", `exec "$@"`, "chrlab-wait"}, argv...)
	}
	return shpause.Command(script, "chrlab-wait", argv...)
}

// veth is one lab interface of a member wired over a veth pair: the
// member's end is called name and holds the wire address addr, the other
// end is a port of the wire container's bridge of network index net.
type veth struct {
	name string
	net  int
	addr netip.Prefix
	// mac is the MAC the lab file gives the interface (Interface.MAC),
	// empty for wireMAC's.
	mac string
}

// macOf is the MAC address of the member's end of v.
func (v veth) macOf() string {
	if v.mac != "" {
		return v.mac
	}
	return wireMAC(v.addr.Addr())
}

// wireMAC is the MAC address of the member's end of a veth: locally
// administered and made of the interface's wire address, which is unique
// on this machine, so that the interface can be found again by its MAC
// (InterfaceOn) after its owner renamed it (rosemu's ether1, ...).
func wireMAC(a netip.Addr) string {
	b := a.As4()
	return fmt.Sprintf("02:c1:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3])
}

// wireBridge is the name, inside the wire container, of the bridge of the
// lab network with index i in Spec.Networks.
func wireBridge(i int) string { return fmt.Sprintf("br%d", i) }

// wireBox is a lab's wire container and the conversation with it: its
// shell (wireScript) reads one line per member on its standard input and
// answers "ok NODE" or "fail NODE why" on its standard output, over one
// attach connection, so wiring a member costs no docker exec.
type wireBox struct {
	id    string
	ready chan struct{} // closed (by finish) when the bridges exist or the start failed
	err   error         // why the start failed; set before ready closes
	once  sync.Once
	conn  net.Conn

	mu      sync.Mutex
	next    int                    // numbers the wire ends of veth pairs
	waiting map[string]chan string // by node: the wire's answer
	gone    error                  // set when the wire's output ended
	// ends are the wire's ends of each member's veths, by node, in the
	// order of its veths (Lab.veths): what SetRouterLink takes down.
	ends map[string][]string
}

// wireScript runs in the wire container: it makes one bridge per argument,
// says ready, then wires each member named on its input: node, PID, and
// per interface its wire end, member end and bridge. One ip -batch per
// member creates the pairs, the member's end straight in its namespace,
// and puts the wire ends on their bridges; members are wired in parallel.
const wireScript = `set -u
for br in "$@"; do
	if ! out=$( { ip link add "$br" type bridge && ip link set "$br" up; } 2>&1); then
		echo "fail - create bridge $br:" $out; exit 1
	fi
done
echo ready
member() {
	node=$1 pid=$2; shift 2
	batch=
	while [ $# -ge 4 ]; do
		batch="$batch
link add $1 type veth peer name $2 address $4 netns $pid
link set $1 master $3 up"
		shift 4
	done
	if out=$(echo "$batch" | ip -batch - 2>&1); then
		echo "ok $node"
	else
		echo "fail $node" $out
	fi
}
while read -r line; do
	member $line &
done
wait
`

// startWire creates and starts the wire container and its bridges. It
// shares the host's PID namespace because it creates veth pairs straight
// into the members' namespaces (ip link ... netns PID): it is the one
// process that reaches both sides, also when the Docker engine runs on
// another machine. It has no network: its own namespace is the lab's L2.
func (l *Lab) startWire(ctx context.Context, image string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("start the wire container: %w", err)
			l.box.finish(err)
		}
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
	// NET_ADMIN is all it needs: ip link ... netns PID finds the member
	// by its PID in the host's PID namespace, and the member configures
	// its own end.
	hc := &container.HostConfig{NetworkMode: "none", PidMode: "host", Sysctls: sysctls,
		CapAdd: []string{"NET_ADMIN"}}
	limit(hc, HostMemoryMiB, HostPids)
	entry := []string{"/usr/bin/tini", "--", "/bin/sh", "-c", wireScript, "wire"}
	for i := range l.Spec.Networks {
		entry = append(entry, wireBridge(i))
	}
	zero := 0
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createTimeout)
	res, err := l.docker.ContainerCreate(cctx, client.ContainerCreateOptions{
		Name:  name,
		Image: image,
		Config: &container.Config{
			Hostname: "wire",
			// Its own namespace without Docker's network hook (container.go).
			NetworkDisabled: true,
			Entrypoint:      entry,
			Labels:          l.labels(""),
			StopTimeout:     &zero,
			OpenStdin:       true,
			AttachStdin:     true,
			AttachStdout:    true,
			AttachStderr:    true,
		},
		HostConfig: hc,
	})
	cancel()
	if err != nil {
		return fmt.Errorf("create %s from %s: %w", name, image, err)
	}
	l.box.id = res.ID
	// Attached before the start, so that no answer is missed.
	att, err := l.docker.ContainerAttach(ctx, res.ID, client.ContainerAttachOptions{Stream: true, Stdin: true, Stdout: true, Stderr: true})
	if err != nil {
		return fmt.Errorf("attach to %s: %w", name, err)
	}
	l.box.conn = att.Conn
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, pw, att.Reader)
		pw.CloseWithError(err)
	}()
	go l.box.read(pr)
	if _, err := l.docker.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	// The container's log is read too, now and then: once in many runs
	// (a loaded machine, Docker 20.10) the attached stream missed the
	// ready line although the container had written it, and the lab
	// waited out its whole budget.
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-l.box.ready:
			if l.box.err == nil {
				l.logf("wire %s ready: %d lab networks bridged outside this machine's namespace", name, len(l.Spec.Networks))
			}
			return l.box.err
		case <-tick.C:
			if l.wireLogSaysReady(ctx, res.ID) {
				l.box.finish(nil)
			}
		case <-ctx.Done():
			return fmt.Errorf("wait for %s to make the bridges: %w", name, ctx.Err())
		}
	}
}

// wireLogSaysReady reports whether the wire container's log holds its
// ready line.
func (l *Lab) wireLogSaysReady(ctx context.Context, id string) bool {
	lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	rc, err := l.docker.ContainerLogs(lctx, id, client.ContainerLogsOptions{ShowStdout: true})
	if err != nil {
		return false
	}
	defer rc.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, io.Discard, rc); err != nil && out.Len() == 0 {
		return false
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if line == "ready" {
			return true
		}
	}
	return false
}

// read dispatches the wire's answers until its output ends.
func (b *wireBox) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	readyDone := false
	for sc.Scan() {
		line := sc.Text()
		verb, rest, _ := strings.Cut(line, " ")
		node, why, _ := strings.Cut(rest, " ")
		switch {
		case !readyDone && verb == "ready":
			readyDone = true
			b.finish(nil)
		case !readyDone && verb == "fail":
			readyDone = true
			b.finish(errors.New(why))
		case verb == "ok" || verb == "fail":
			b.mu.Lock()
			ch := b.waiting[node]
			delete(b.waiting, node)
			b.mu.Unlock()
			if ch != nil {
				ch <- line
			}
		}
	}
	b.mu.Lock()
	b.gone = fmt.Errorf("the wire container's output ended (%v)", sc.Err())
	for node, ch := range b.waiting {
		ch <- "fail " + node + " " + b.gone.Error()
		delete(b.waiting, node)
	}
	b.mu.Unlock()
	if !readyDone {
		b.finish(errors.New("the wire container ended before its bridges were up"))
	}
}

// finish records how the start ended, once; later calls change nothing.
func (b *wireBox) finish(err error) {
	b.once.Do(func() {
		b.err = err
		close(b.ready)
	})
}

func (b *wireBox) close() {
	if b != nil && b.conn != nil {
		b.conn.Close()
	}
}

// wireMember creates the veth pairs of a started member, whose entrypoint
// (waitWired) takes them from there.
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
	ch := make(chan string, 1)
	l.box.mu.Lock()
	if l.box.gone != nil {
		l.box.mu.Unlock()
		return fmt.Errorf("wire %s: %w", node, l.box.gone)
	}
	req := fmt.Sprintf("%s %d", node, pid)
	ends := make([]string, len(vs))
	for i, v := range vs {
		ends[i] = fmt.Sprintf("v%d", l.box.next)
		req += fmt.Sprintf(" %s %s %s %s", ends[i], v.name, wireBridge(v.net), v.macOf())
		l.box.next++
	}
	if l.box.ends == nil {
		l.box.ends = map[string][]string{}
	}
	l.box.ends[node] = ends
	if l.box.waiting == nil {
		l.box.waiting = map[string]chan string{}
	}
	l.box.waiting[node] = ch
	_, err = io.WriteString(l.box.conn, req+"\n")
	sent := time.Now()
	l.box.mu.Unlock()
	if err != nil {
		return fmt.Errorf("wire %s: ask the wire container: %w", node, err)
	}
	select {
	case ans := <-ch:
		if verb, why, _ := strings.Cut(ans, " "); verb != "ok" {
			_, why, _ = strings.Cut(why, " ")
			return fmt.Errorf("wire %s (pid %d): %s", node, pid, why)
		}
		return nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.Canceled) {
			// Cancelled (an interrupt), not out of time: the wire container
			// is not to blame.
			return fmt.Errorf("wire %s (pid %d): stopped waiting for the wire container's answer after %.1fs: %w", node, pid, time.Since(sent).Seconds(), ctx.Err())
		}
		return fmt.Errorf("wire %s (pid %d): no answer from the wire container within %.1fs: %w", node, pid, time.Since(sent).Seconds(), ctx.Err())
	}
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
// addr, the interface's wire address on the wire subnet of its network,
// which is how labagent, rosemu and qemuboot find it, as with Docker's
// wiring. A host in a VLAN of a trunk is wired to the trunk's bridge (its
// address is one of the trunk's wire subnet: vlan.go) and tags in user
// space.
func (l *Lab) vethOf(in Interface, name string, addr netip.Addr) veth {
	wn := l.Spec.WireNetwork(in.Network)
	idx := 0
	for i, nw := range l.Spec.Networks {
		if nw.Name == wn {
			idx = i
		}
	}
	w := l.wire[wn]
	return veth{name: name, net: idx, addr: netip.PrefixFrom(addr, w.Bits()), mac: in.MAC}
}

// rewireOnRestart gives a member that restarts (docker restart, as a power
// cycle of the router) new veth pairs: its namespace, and the pairs in it,
// died with its process, and its entrypoint waits for interfaces again. It
// follows the engine's start events for this run until ctx ends (Down).
func (l *Lab) rewireOnRestart(ctx context.Context) {
	f := make(client.Filters).Add("label", LabelRun+"="+l.RunID).Add("type", "container").Add("event", "start")
	res := l.docker.Events(ctx, client.EventsListOptions{Filters: f})
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-res.Err:
			if ctx.Err() == nil {
				l.logf("stop following restarts of lab members: %v", err)
			}
			return
		case m := <-res.Messages:
			node := m.Actor.Attributes[LabelNode]
			vs, ok := l.veths[node]
			if !ok {
				continue
			}
			wctx, cancel := context.WithTimeout(ctx, DefaultBudget)
			if err := l.wireMember(wctx, node, m.Actor.ID, vs); err != nil {
				l.logf("rewire %s after its restart: %v", node, err)
			} else {
				l.logf("%s restarted: wired again", node)
			}
			cancel()
		}
	}
}
