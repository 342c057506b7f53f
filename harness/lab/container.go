package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/internal/execserve"
)

// dockerClient is the Docker API client testcontainers-go uses, so that
// both see the same engine (DOCKER_HOST, ~/.testcontainers.properties).
type dockerClient = testcontainers.DockerClient

func newDockerClient(ctx context.Context) (*dockerClient, error) {
	if err := images.CheckDockerHost(ctx); err != nil {
		return nil, err
	}
	c, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to the Docker engine: %w", err)
	}
	return c, nil
}

// attachment is one network interface of a container to be.
type attachment struct {
	network string // Docker network name
	addr    netip.Addr
}

// containerSpec is everything needed to create and start one member.
type containerSpec struct {
	node       string
	image      string
	entrypoint []string
	cmd        []string
	attach     []attachment // the first is given at create, the rest connected before start
	veths      []veth       // netns wiring: the lab interfaces the wire container makes
	caps       []string
	sysctls    map[string]string
	readyLine  string
	apiAddr    string // host:port that must accept TCP before ready; empty for none
	apiAnswer  bool   // apiAddr must answer an API sentence, not only accept
	devices    []string
	binds      []string
	memoryMiB  int   // memory limit (see limits.go)
	pids       int64 // process limit
}

// containers derives the container of every node and of the router.
func (l *Lab) containers(opts Options, nets map[string]labNet) []containerSpec {
	var out []containerSpec
	vlanWire := vlanWireAddrs(l.Spec, l.wire)
	for _, n := range l.Spec.Nodes {
		c := containerSpec{
			node:      n.Name,
			image:     opts.HostImage,
			cmd:       append(AgentArgs(n), l.addressArgs(n, vlanWire)...),
			caps:      []string{"NET_ADMIN", "NET_RAW"}, // labagent sets its default route; ping and captures need raw sockets
			sysctls:   nodeSysctls(n),
			readyLine: AgentReadyLine,
			memoryMiB: HostMemoryMiB,
			pids:      HostPids,
		}
		for i, in := range n.Interfaces {
			addr, ok := vlanWire[n.Name+"\x00"+in.Network]
			if !ok {
				addr = l.wireAddr(in)
			}
			if l.wiring == WiringNetns {
				c.veths = append(c.veths, l.vethOf(in, fmt.Sprintf("eth%d", i), addr))
				continue
			}
			c.attach = append(c.attach, attachment{network: nets[l.Spec.WireNetwork(in.Network)].name, addr: addr})
		}
		out = append(out, c)
	}

	out = append(out, l.routerContainer(l.Spec.Router, opts.Router, opts.RouterImage, l.RouterMgmt(), nets))
	// More routers run rosemu from its image whatever runs the lab's
	// router (a QEMU guest each would double the boot on a small machine),
	// through the code that starts the router.
	for _, r := range l.Spec.Routers {
		mgmt, _ := l.RouterMgmtOf(r.Name)
		out = append(out, l.routerContainer(r, RouterRun{}, opts.routersImage(), mgmt, nets))
	}
	return out
}

// images are the images the lab's containers run: the hosts', the
// router's, and rosemu's for its more routers only when it has some, so
// that a lab of one router under --router vm inspects no image it does
// not start, as before more routers.
func (o Options) images(spec *Spec) []string {
	out := []string{o.HostImage, o.RouterImage}
	if len(spec.Routers) > 0 {
		out = append(out, o.routersImage())
	}
	return out
}

// routersImage is the image the lab's more routers run: rosemu's.
func (o Options) routersImage() string {
	if o.RoutersImage != "" {
		return o.RoutersImage
	}
	return o.RouterImage
}

// routerContainer is the container of router rt, run as r says, with its
// API at mgmt on the management network.
func (l *Lab) routerContainer(rt Router, r RouterRun, image string, mgmt netip.Addr, nets map[string]labNet) containerSpec {
	c := containerSpec{
		node:       rt.Name,
		image:      image,
		entrypoint: r.Entrypoint,
		cmd:        r.Cmd,
		// SYS_ADMIN lets rosemu create and enter the network namespace
		// that keeps its management interface apart from the routed ones.
		caps:      []string{"NET_ADMIN", "NET_RAW", "SYS_ADMIN"},
		sysctls:   baseSysctls(true),
		readyLine: r.ReadyLine,
	}
	// The router finds its ports by the subnets Docker wired them on.
	ws := wired(l.Spec.ForRouter(rt), l.wire)
	if c.cmd == nil && r.Args != nil {
		c.cmd = r.Args(ws, l.mgmt)
	}
	if c.cmd == nil {
		c.cmd = RosemuArgs(ws, l.mgmt)
	}
	if r.Caps != nil {
		c.caps = r.Caps
	}
	if r.Sysctls != nil {
		c.sysctls = r.Sysctls
	} else {
		routerBridgeSysctls(c.sysctls)
	}
	c.devices, c.apiAnswer, c.binds = r.Devices, r.APIAnswer, r.Binds
	c.memoryMiB, c.pids = RouterMemoryMiB, RouterPids
	if r.MemoryMiB > 0 {
		c.memoryMiB = r.MemoryMiB
	}
	if c.readyLine == "" {
		c.readyLine = RosemuReadyLine
	}
	switch {
	case r.APIPort == 0:
		c.apiAddr = net.JoinHostPort(mgmt.String(), fmt.Sprint(RouterAPIPort))
	case r.APIPort > 0:
		c.apiAddr = net.JoinHostPort(mgmt.String(), fmt.Sprint(r.APIPort))
	}
	if l.wiring == WiringNetns {
		// The management network stays Docker's (eth0): it is how this
		// machine reaches the router. The lab ports follow as eth1, ...
		c.attach = []attachment{{network: nets[mgmtKey].name, addr: mgmt}}
		for i, p := range rt.Ports {
			c.veths = append(c.veths, l.vethOf(p, fmt.Sprintf("eth%d", i+1), l.wireAddr(p)))
		}
		return c
	}
	for _, p := range rt.Ports {
		c.attach = append(c.attach, attachment{network: nets[p.Network].name, addr: l.wireAddr(p)})
	}
	c.attach = append(c.attach, attachment{network: nets[mgmtKey].name, addr: mgmt})
	return c
}

// baseSysctls: rp_filter off everywhere, because hairpin and asymmetric
// paths are what the labs are about and strict reverse-path filtering would
// drop them before the router under test saw them; forwarding on for the
// router and forwarding nodes (the ISP), and off for every other node, said
// both ways: a new network namespace takes its IPv4 settings from this
// machine's (devconf_inherit_init_net), whose Docker turned forwarding on,
// and a host that forwards ignores the ICMP redirects a PC takes (a LAN
// with two gateways: the router's redirect to the other one).
func baseSysctls(forward bool) map[string]string {
	s := map[string]string{
		"net.ipv4.conf.all.rp_filter":     "0",
		"net.ipv4.conf.default.rp_filter": "0",
		"net.ipv4.ip_forward":             "0",
	}
	if forward {
		s["net.ipv4.ip_forward"] = "1"
	}
	return s
}

// nodeSysctls are baseSysctls, with IPv6 on for a node with an IPv6
// address (forwarding too for a forwarding node). The interfaces the wire
// moves in later take the default's setting.
func nodeSysctls(n Node) map[string]string {
	s := baseSysctls(n.Forward)
	if n.VRRP != nil {
		// The node answers ARP on an interface only for that interface's
		// addresses: the virtual address is answered by the virtual
		// router's link alone, with its MAC (labagent cannot write the
		// setting itself: /proc/sys is read-only in the container).
		s["net.ipv4.conf.all.arp_ignore"] = "1"
	}
	if n.ISP != nil && n.ISP.ProxyARP {
		// The kernel answers ARP on an interface for an address it
		// routes out of another (all is or'ed with each interface's);
		// set here for the same reason as arp_ignore.
		s["net.ipv4.conf.all.proxy_arp"] = "1"
	}
	for _, in := range n.Interfaces {
		if !in.Address6.IsValid() {
			continue
		}
		s["net.ipv6.conf.all.disable_ipv6"] = "0"
		s["net.ipv6.conf.default.disable_ipv6"] = "0"
		// Addresses usable at once, the link-local one too: the lab has
		// no duplicates to detect.
		s["net.ipv6.conf.default.accept_dad"] = "0"
		if n.Forward {
			s["net.ipv6.conf.all.forwarding"] = "1"
		}
		// A host with set addresses takes neither an address nor a route
		// from the router's advertisements (a second address would make
		// its source unpredictable); a SLAAC host takes both.
		if s["net.ipv6.conf.default.accept_ra"] != "1" {
			s["net.ipv6.conf.default.accept_ra"], s["net.ipv6.conf.default.autoconf"] = "0", "0"
		}
		if in.SLAAC {
			s["net.ipv6.conf.default.accept_ra"], s["net.ipv6.conf.default.autoconf"] = "1", "1"
		}
	}
	return s
}

// interfaceID is the last 64 bits of a, as a token: ::20 of 3fff:88::20.
func interfaceID(a netip.Addr) string {
	b := a.As16()
	clear(b[:8])
	return netip.AddrFrom16(b).String()
}

// startMember creates, starts and waits for one container. The container is
// recorded as soon as it exists, so the cleanup of a failed Up finds it
// even when the start or the wait fails.
func (l *Lab) startMember(ctx context.Context, c containerSpec, budget time.Duration, labStart time.Time) error {
	name := fmt.Sprintf("chrlab-%s-%s", l.RunID, c.node)
	// Without a Docker network (a node under netns wiring) the container
	// gets none at all: its lab interfaces come from the wire container.
	first, rest := attachment{network: "none"}, []attachment(nil)
	if len(c.attach) > 0 {
		first, rest = c.attach[0], c.attach[1:]
	}
	var networks []string
	if first.addr.IsValid() {
		networks = []string{first.network}
	}
	entrypoint, cmd := c.entrypoint, c.cmd
	var postStarts []testcontainers.ContainerHook
	if l.wiring == WiringNetns {
		// The program starts once its interfaces exist (waitWired); the
		// hook runs between the start and the readiness wait.
		if entrypoint == nil {
			entrypoint = l.entrypoints[c.image]
		}
		entrypoint, cmd = waitWired(c.veths, append(slices.Clone(entrypoint), cmd...)), nil
		postStarts = append(postStarts, func(ctx context.Context, ctr testcontainers.Container) error {
			return l.wireMember(ctx, c.node, ctr.GetContainerID(), c.veths)
		})
	}
	strategies := []wait.Strategy{
		// The ready line is the program's own word that it has set up its
		// interfaces and routes and is serving; the timeout is the whole
		// budget because ctx already carries the lab's deadline.
		logReady{docker: l.docker, line: []byte(c.readyLine)},
	}
	if c.apiAddr != "" {
		// The router's API must also accept connections from this machine
		// over the management network: that proves the management wiring
		// (the netns move of rosemu) and not only that the process runs.
		strategies = append(strategies, tcpReady{addr: c.apiAddr, answer: c.apiAnswer})
	}
	req := testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Image:      c.image,
			Name:       name,
			Entrypoint: entrypoint,
			Cmd:        cmd,
			Labels:     l.labels(c.node),
			Networks:   networks,
			ConfigModifier: func(cfg *container.Config) {
				cfg.Hostname = c.node
				// A member on no Docker network (a node under netns
				// wiring) gets its own network namespace from the runtime
				// all the same, with lo up; NetworkDisabled only spares
				// Docker's libnetwork prestart hook, a re-exec of the whole
				// dockerd binary that cost 0.3 CPU-s of the 0.55 each
				// start took on a 2-core machine (measured, 8 starts).
				cfg.NetworkDisabled = first.network == "none"
				// The member's program serves commands on its exec socket
				// and names itself by this in the ready line (execserve).
				cfg.Env = append(cfg.Env, execserve.MemberEnv+"="+name)
				// A manual `docker stop` should not wait 10 s for a
				// process that ignores SIGTERM.
				zero := 0
				cfg.StopTimeout = &zero
			},
			HostConfigModifier: func(hc *container.HostConfig) {
				// The first network replaces Docker's default bridge: a lab
				// member must have no path off this machine.
				hc.NetworkMode = container.NetworkMode(first.network)
				hc.CapAdd = c.caps
				hc.Sysctls = c.sysctls
				hc.Devices = deviceMappings(c.devices)
				hc.Binds = c.binds
				limit(hc, c.memoryMiB, c.pids)
			},
			EndpointSettingsModifier: func(m map[string]*network.EndpointSettings) {
				if !first.addr.IsValid() {
					return
				}
				es := m[first.network]
				if es == nil {
					es = &network.EndpointSettings{}
					m[first.network] = es
				}
				es.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: first.addr}
			},
			LifecycleHooks: []testcontainers.ContainerLifecycleHooks{{
				// Docker API 1.41 takes a single network at create; the
				// others are connected before start, each with its fixed
				// address (testcontainers' own multi-network support
				// connects without one).
				PostCreates: []testcontainers.ContainerHook{func(ctx context.Context, ctr testcontainers.Container) error {
					for _, a := range rest {
						_, err := l.docker.NetworkConnect(ctx, a.network, client.NetworkConnectOptions{
							Container:      ctr.GetContainerID(),
							EndpointConfig: &network.EndpointSettings{IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: a.addr}},
						})
						if err != nil {
							return fmt.Errorf("connect %s to network %s at %s: %w", name, a.network, a.addr, err)
						}
					}
					return nil
				}},
				PostStarts: postStarts,
			}},
			WaitingFor: wait.ForAll(strategies...).WithDeadline(budget),
		},
		Logger: tclog.NewNoopLogger(),
	}

	if err := ctx.Err(); err != nil {
		return fmt.Errorf("create %s: %w", c.node, err)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createTimeout)
	ctr, err := testcontainers.GenericContainer(cctx, req)
	cancel()
	if ctr != nil && ctr.GetContainerID() != "" {
		l.mu.Lock()
		l.nodes[c.node] = &member{containerID: ctr.GetContainerID(), container: name}
		l.mu.Unlock()
	}
	if err != nil {
		return fmt.Errorf("create container %s from %s: %w", name, c.image, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("start %s: %w", c.node, err)
	}
	if err := ctr.Start(ctx); err != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			// Cancelled by the caller or because another member failed:
			// this member's log says nothing about why.
			return fmt.Errorf("start %s (%s): %w", c.node, name, err)
		}
		return fmt.Errorf("start %s (%s): %w%s", c.node, name, err, l.logTail(c.node))
	}
	l.logf("%s ready in %.1fs (%s)", c.node, time.Since(labStart).Seconds(), name)
	return nil
}

// logTail returns the end of a member's log for an error message: why a
// program did not get ready is usually in its last lines.
func (l *Lab) logTail(node string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := l.Logs(ctx, node)
	if err != nil || len(out) == 0 {
		return ""
	}
	const max = 2000
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return "; its log ends:\n" + string(out)
}

// tcpReady is a wait strategy that dials an address from this machine
// until a connection opens.
type tcpReady struct {
	addr   string
	answer bool // an API reply must come back (apiAnswers)
}

func (t tcpReady) String() string { return "TCP " + t.addr }

// WaitUntilReady retries with a short per-attempt timeout inside ctx's
// budget, and wraps the last dial error when the budget runs out.
//
// It also watches the container: a router whose program ended (a guest
// kernel that panicked, an emulator that exited) will never answer, and
// the run fails at once with its exit code instead of after the budget.
func (t tcpReady) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	var last error
	lastState := time.Now()
	for {
		if target != nil && time.Since(lastState) >= time.Second {
			lastState = time.Now()
			if st, err := target.State(ctx); err == nil && st != nil && !st.Running && (st.Status == container.StateExited || st.Status == container.StateDead) {
				return fmt.Errorf("connect to the router API at %s: the container %s (exit code %d) before the API answered (last attempt: %w)", t.addr, st.Status, st.ExitCode, last)
			}
		}
		actx, cancel := context.WithTimeout(ctx, time.Second)
		conn, err := (&net.Dialer{}).DialContext(actx, "tcp", t.addr)
		if err == nil && t.answer {
			err = apiAnswers(actx, conn)
		}
		cancel()
		if conn != nil {
			conn.Close()
		}
		if err == nil {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("connect to the router API at %s: %w (last attempt: %w)", t.addr, ctx.Err(), last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// labels are the labels of every object of this run; node is empty for
// networks.
func (l *Lab) labels(node string) map[string]string {
	m := map[string]string{LabelKey: "1", LabelRun: l.RunID, LabelLab: l.Spec.Name}
	maps.Copy(m, l.extra)
	maps.Copy(m, l.owner)
	if node != "" {
		m[LabelNode] = node
	}
	return m
}

// removeByLabel force-removes every container with the label filter (key
// or key=value), then every network with it. Force removal kills at once:
// there is nothing in a lab container worth a graceful stop.
func removeByLabel(ctx context.Context, docker *dockerClient, label string, progress io.Writer) error {
	f := make(client.Filters).Add("label", label)
	cs, err := docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return fmt.Errorf("list containers labelled %s: %w", label, err)
	}
	errc := make(chan error, len(cs.Items))
	for _, c := range cs.Items {
		go func() {
			_, err := docker.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
			if err != nil && !cerrdefs.IsNotFound(err) {
				errc <- fmt.Errorf("remove container %s: %w", containerName(c), err)
				return
			}
			fmt.Fprintf(progress, "lab: container %s removed\n", containerName(c))
			errc <- nil
		}()
	}
	var errs []error
	for range cs.Items {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	ns, err := docker.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("list networks labelled %s: %w", label, err))...)
	}
	for _, n := range ns.Items {
		if err := removeNetwork(ctx, docker, n.ID); err != nil {
			errs = append(errs, fmt.Errorf("remove network %s: %w", n.Name, err))
			continue
		}
		fmt.Fprintf(progress, "lab: network %s removed\n", n.Name)
	}
	return errors.Join(errs...)
}

// removeNetwork removes a network whose containers were just removed. The
// engine (seen with Docker 20.10) sometimes still lists an endpoint of a
// removed container for a moment and refuses with "has active endpoints";
// the network left behind then blocks the next lab's subnets. So leftover
// endpoints are disconnected by force and the removal is retried, within a
// few seconds.
func removeNetwork(ctx context.Context, docker *dockerClient, id string) error {
	var err error
	for try := 0; try < 10; try++ {
		if _, err = docker.NetworkRemove(ctx, id, client.NetworkRemoveOptions{}); err == nil || cerrdefs.IsNotFound(err) {
			return nil
		}
		if !strings.Contains(err.Error(), "active endpoints") {
			return err
		}
		if in, ierr := docker.NetworkInspect(ctx, id, client.NetworkInspectOptions{}); ierr == nil {
			for cid := range in.Network.Containers {
				_, _ = docker.NetworkDisconnect(ctx, id, client.NetworkDisconnectOptions{Container: cid, Force: true})
			}
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(time.Duration(try+1) * 100 * time.Millisecond):
		}
	}
	return err
}

func containerName(c container.Summary) string {
	if len(c.Names) > 0 {
		return strings.TrimPrefix(c.Names[0], "/")
	}
	return c.ID[:12]
}

// keepLogs hands every member's log that can still be read to keep.
func (l *Lab) keepLogs(ctx context.Context, keep func(string, []byte)) {
	l.mu.Lock()
	names := make([]string, 0, len(l.nodes))
	for n := range l.nodes {
		names = append(names, n)
	}
	l.mu.Unlock()
	slices.Sort(names)
	for _, n := range names {
		if out, err := l.Logs(ctx, n); err == nil && len(out) > 0 {
			keep("log-"+n+".txt", out)
		}
	}
}

// wireAddr is the Docker address of a lab interface.
func (l *Lab) wireAddr(in Interface) netip.Addr {
	nw, _ := l.Spec.Network(in.Network)
	return translate(nw.Subnet, l.wire[in.Network], in.Address)
}

// addressArgs tells labagent which lab address to put on the interface
// Docker wired at which address: --address 10.200.3.10=192.168.88.10/24;
// a DHCP host's flag names its mac after a comma when the lab file gives
// one (--dhcp-client 10.200.3.30=192.168.88.30/24,48:65:ee:19:3c:0d).
// A host in a VLAN gets --vlan instead, with the address vlanWire gave it
// on its trunk.
func (l *Lab) addressArgs(n Node, vlanWire map[string]netip.Addr) []string {
	var args []string
	for _, in := range n.Interfaces {
		nw, _ := l.Spec.Network(in.Network)
		if a, ok := vlanWire[n.Name+"\x00"+in.Network]; ok {
			// The IPv6 address or token goes on the VLAN's access port,
			// named by the same wire address (forum55 D5: a VLAN host
			// had none).
			args = append(append(args, vlanArg(nw, a, in)...), address6Args(nw, a, in)...)
			continue
		}
		flag := "--address"
		switch {
		case in.DHCP:
			// The host leases its lab address from the router; the
			// planned one names its MAC address.
			flag = "--dhcp-client"
		case in.PPPoE != nil:
			// The host dials the router's PPPoE server; the planned
			// address names its MAC address.
			flag = "--pppoe-client"
			args = append(args, "--pppoe-client-user", in.PPPoE.User, "--pppoe-client-password", in.PPPoE.Password)
			if in.PPPoE.Service != "" {
				args = append(args, "--pppoe-client-service", in.PPPoE.Service)
			}
		}
		v := fmt.Sprintf("%s=%s", l.wireAddr(in), netip.PrefixFrom(in.Address, nw.Subnet.Bits()))
		if in.DHCP && in.MAC != "" {
			// The agent sets 02:00 and the planned address as a DHCP
			// host's MAC; a host the router knows by its MAC (a static
			// lease) keeps the lab file's, which its veth already has.
			v += "," + in.MAC
		}
		args = append(append(args, flag, v), address6Args(nw, l.wireAddr(in), in)...)
	}
	return args
}

// address6Args are labagent's IPv6 flags for a host interface, named by
// its wire address.
func address6Args(nw Network, wire netip.Addr, in Interface) []string {
	switch {
	case in.Address6.IsValid() && in.SLAAC:
		// The host forms the address from the router's prefix and the
		// token, its planned interface identifier.
		return []string{"--slaac", fmt.Sprintf("%s=%s", wire, interfaceID(in.Address6))}
	case in.Address6.IsValid():
		// Named by the wire address too: labagent sets the IPv6 address
		// first, while the interface still holds it.
		return []string{"--address6", fmt.Sprintf("%s=%s", wire, netip.PrefixFrom(in.Address6, nw.Subnet6.Bits()))}
	}
	return nil
}
