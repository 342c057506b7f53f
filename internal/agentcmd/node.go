package agentcmd

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/execserve"
	"github.com/chrlab/chrlab/internal/loadavg"
)

// readyBudget bounds how long the node waits for its iperf3 servers to listen on an idle machine.
// iperf3 binds within milliseconds; five seconds allows for a CI machine starting a whole lab at once.
const readyBudget = 5 * time.Second

// iperfReadyBudget is readyBudget scaled by the machine's load as the harness scales its lab
// budgets (harness/lab loadScale: by load per CPU above 1, at most 4 times): at a load average of
// about 56 on 2 CPUs a bring-up failed with "nothing listens after 5s" while the harness itself
// would still have waited (forum40 D8). /proc/loadavg in a container is the host's.
func iperfReadyBudget(load float64, cpus int) time.Duration {
	return loadavg.Scale(readyBudget, load, cpus)
}

// nodeOptions are the flags of labagent node.
type nodeOptions struct {
	name       string
	gateway    net.IP
	gateway6   net.IP
	serve      []string
	forward    bool
	listen     string
	ports      intList // whoami ports, tcp and udp
	dnsPort    int
	access     accessFlags
	httpPort   int
	iperfPorts []int
	zones      zoneFlags  // names the dns service answers
	dohZones   zoneFlags  // names only the doh service answers
	dohNames   stringList // DNS names of the doh service's certificate
	dohPort    int
	follow     followFlags // names that follow a cloud record (--zone-follow)
	dhcp       dhcpFlags   // the dhcp service's --dhcp-* flags
	dhcp6      dhcp6Flags  // the dhcp6 service's --dhcp6-* flags
	vrrp       vrrpFlags   // the vrrp service's --vrrp-* flags
	pppoe      pppoeFlags  // the pppoe service's --pppoe-* flags
	pppoeOpts  pppoeOptions
	cloud      cloudFlags // the cloud stand-in's --cloud-* flags
	wg         wgFlags    // the WireGuard tunnel's --wg-* flags
	wgOpts     wgOptions
	wgOn       bool
	ipTuns     []*ipTunFlags // the GRE, IPIP and EoIP tunnels' --gre-*, --ipip-* and --eoip-* flags
	ipTunOpts  []ipTunOptions
	routing    routingFlags // the node's OSPF and BGP (routing.go)
	routingOn  bool
	addresses  addressFlags
	addresses6 address6Flags
	slaac      slaacFlags
	local      localFlags // addresses beyond the lab this node answers as its own
	vlans      vlanFlags  // access ports in a VLAN of a trunk (vlan.go)
	// dhcpClients are the interfaces that take their address by DHCP.
	dhcpClients dhcpClientFlags
	// pppoe is the interface that dials the router's PPPoE server.
	pppoeHost pppoeHostOpts
}

func parseNodeFlags(args []string, stderr io.Writer) (nodeOptions, error) {
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	var o nodeOptions
	var gateway, gateway6, serve, iperfPorts string
	fs.StringVar(&o.name, "name", "", "the host's `name` in whoami answers (required)")
	fs.StringVar(&gateway, "gateway", "", "replace the default route with one via this `IP`")
	fs.StringVar(&gateway6, "gateway6", "", "the IPv6 default route via this `IP`")
	fs.Var(&o.slaac, "slaac", "`WIRE=TOKEN`: the interface Docker wired at WIRE forms its IPv6 address from the router's advertisements with this interface identifier (repeat)")
	fs.Var(&o.addresses6, "address6", "`WIRE=LAB6/LEN`: add the IPv6 lab address to the interface Docker wired at WIRE (repeat)")
	fs.StringVar(&serve, "serve", "whoami", "comma-separated `services`: whoami, iperf3, dns, doh, dhcp, dhcp6, pppoe, cloud, ftp, vrrp (empty for none)")
	fs.Var(&o.zones, "zone", "a `NAME=IP` the dns service answers (repeat)")
	fs.Var(&o.dohZones, "doh-zone", "a `NAME=IP` only the doh service answers, beside the --zone names (repeat)")
	fs.Var(&o.dohNames, "doh-name", "a DNS `name` the doh service's certificate carries, beside the address reached (repeat)")
	fs.IntVar(&o.dohPort, "doh-port", dohDefaultPort, "the doh service's HTTPS `port`")
	fs.Var(&o.follow, "zone-follow", "`NAME=TARGET`: answer NAME with the cloud record of TARGET once published (repeat)")
	fs.Var(&o.addresses, "address", "`WIRE=LAB/LEN`: put the lab address on the interface Docker wired at WIRE (repeat)")
	fs.Var(&o.local, "local", "an `IP` beyond the lab to answer as this node's own, on its loopback (a failover route's ping target; repeat)")
	fs.Var(&o.vlans, "vlan", "`VID:WIRE=LAB/LEN`: the interface Docker wired at WIRE is a VLAN trunk; sit in VLAN VID of it with the lab address (repeat)")
	fs.Var(&o.pppoeHost.iface, "pppoe-client", "`WIRE=PLANNED/LEN`: dial the router's PPPoE server on the interface Docker wired at WIRE, with --pppoe-client-user and --pppoe-client-password")
	fs.StringVar(&o.pppoeHost.user, "pppoe-client-user", "", "the PPPoE client's `user`")
	fs.StringVar(&o.pppoeHost.password, "pppoe-client-password", "", "the PPPoE client's `password`")
	fs.StringVar(&o.pppoeHost.service, "pppoe-client-service", "", "the PPPoE `service` name the client asks for (default any)")
	fs.Var(&o.dhcpClients, "dhcp-client", "`WIRE=PLANNED/LEN[,MAC]`: take the address of the interface Docker wired at WIRE by DHCP, with MAC (default 02:00 and PLANNED) (repeat)")
	o.dhcp.register(fs)
	o.dhcp6.register(fs)
	o.vrrp.register(fs)
	o.pppoe.register(fs)
	o.cloud.register(fs)
	o.wg.register(fs)
	o.ipTuns = []*ipTunFlags{{kind: "gre"}, {kind: "ipip"}, {kind: "eoip"}}
	for _, f := range o.ipTuns {
		f.register(fs)
	}
	o.routing.register(fs)
	fs.BoolVar(&o.forward, "forward", false, "require IP forwarding (the ISP node routes between its networks)")
	fs.StringVar(&o.listen, "listen", "", "listen on this `address` only (default every address)")
	fs.Var(&o.ports, "port", "whoami `ports`, TCP and UDP, comma-separated or repeated (default 12566)")
	fs.IntVar(&o.dnsPort, "dns-port", 53, "the dns service's `port`, TCP and UDP")
	o.access.register(fs)
	fs.IntVar(&o.httpPort, "http-port", httpPort, "with whoami, the `port` where it also answers HTTP (0: none)")
	fs.StringVar(&iperfPorts, "iperf-ports", "5201-5203", "iperf3 server `ports`: one server per port, since each serves one test at a time")
	if err := parseFlags(fs, args, stderr); err != nil {
		return o, err
	}
	if o.name == "" || strings.ContainsAny(o.name, " \t\r\n") {
		return o, usageErrorf(stderr, fs, "--name must be one word, got %q", o.name)
	}
	if gateway != "" {
		if o.gateway = net.ParseIP(gateway); o.gateway == nil {
			return o, usageErrorf(stderr, fs, "--gateway %q is not an IP address", gateway)
		}
	}
	if gateway6 != "" {
		if o.gateway6 = net.ParseIP(gateway6); o.gateway6 == nil || o.gateway6.To4() != nil {
			return o, usageErrorf(stderr, fs, "--gateway6 %q is not an IPv6 address", gateway6)
		}
	}
	for svc := range strings.SplitSeq(serve, ",") {
		switch svc = strings.TrimSpace(svc); svc {
		case "":
		case "whoami", "iperf3", "dns", "doh", "dhcp", "dhcp6", "cloud", "pppoe", "ftp", "vrrp":
			o.serve = append(o.serve, svc)
		default:
			return o, usageErrorf(stderr, fs, "unknown service %q in --serve, want whoami, iperf3, dns, doh, dhcp, dhcp6, pppoe, cloud, ftp or vrrp", svc)
		}
	}
	if slices.Contains(o.serve, "pppoe") {
		var err error
		if o.pppoeOpts, err = o.pppoe.options(); err != nil {
			return o, usageErrorf(stderr, fs, "%v", err)
		}
		// The blocks the ISP routes to its customer (--route via an
		// address of the customer network) go through the session.
		for _, r := range o.access.routes {
			if o.pppoeOpts.subnet.Contains(r.via) {
				o.pppoeOpts.routed = append(o.pppoeOpts.routed, r.dst)
			}
		}
	}
	if err := o.dhcp.check(slices.Contains(o.serve, "dhcp")); err != nil {
		return o, usageErrorf(stderr, fs, "%v", err)
	}
	if err := o.dhcp6.check(slices.Contains(o.serve, "dhcp6")); err != nil {
		return o, usageErrorf(stderr, fs, "%v", err)
	}
	if err := o.vrrp.check(slices.Contains(o.serve, "vrrp")); err != nil {
		return o, usageErrorf(stderr, fs, "%v", err)
	}
	if err := o.cloud.check(); err != nil {
		return o, usageErrorf(stderr, fs, "%v", err)
	}
	wgOpts, wgOn, err := o.wg.options()
	if err != nil {
		return o, usageErrorf(stderr, fs, "%v", err)
	}
	o.wgOpts, o.wgOn = wgOpts, wgOn
	for _, f := range o.ipTuns {
		to, on, err := f.options()
		if err != nil {
			return o, usageErrorf(stderr, fs, "%v", err)
		}
		if on {
			o.ipTunOpts = append(o.ipTunOpts, to)
		}
	}
	if o.routingOn, err = o.routing.check(); err != nil {
		return o, usageErrorf(stderr, fs, "%v", err)
	}
	if len(o.ports) == 0 {
		o.ports = intList{whoamiPort}
	}
	if o.dnsPort <= 0 || o.dnsPort > 65535 {
		return o, usageErrorf(stderr, fs, "--dns-port %d is out of range", o.dnsPort)
	}
	if o.httpPort < 0 || o.httpPort > 65535 {
		return o, usageErrorf(stderr, fs, "--http-port %d is out of range", o.httpPort)
	}
	ports, err := parsePorts(iperfPorts)
	if err != nil {
		return o, usageErrorf(stderr, fs, "--iperf-ports: %v", err)
	}
	o.iperfPorts = ports
	return o, nil
}

// withNetlink runs one step of the node's set-up with a netlink handle of
// its own.
func withNetlink(what string, f func(*netlink.Handle) error) error {
	h, err := netlink.NewHandle()
	if err != nil {
		return fmt.Errorf("open netlink to %s: %w", what, err)
	}
	defer h.Close()
	return f(h)
}

// parsePorts parses "5201-5203" or "5201,5205".
func parsePorts(s string) ([]int, error) {
	var ports []int
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("parse port %q: %w", lo, err)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("parse port %q: %w", hi, err)
			}
		}
		if a <= 0 || b > 65535 || b < a || b-a > 64 {
			return nil, fmt.Errorf("port range %q is empty, out of range or larger than 64 ports", part)
		}
		for p := a; p <= b; p++ {
			ports = append(ports, p)
		}
	}
	return ports, nil
}

// runNode is the container entrypoint. It configures routing, starts the services, prints
// "labagent ready" once all of them listen, and runs until SIGTERM or SIGINT, when it kills its
// children and exits at once (a container whose PID 1 lingers takes 10 s to stop).
func runNode(args []string, stdout, stderr io.Writer) error {
	o, err := parseNodeFlags(args, stderr)
	if err != nil {
		return err
	}
	log.SetOutput(stderr)
	log.SetPrefix("labagent " + o.name + ": ")
	log.SetFlags(log.Lmicroseconds)

	// Signals are caught before anything starts so a stop during start-up is not lost.
	stopSig := make(chan os.Signal, 1)
	signal.Notify(stopSig, syscall.SIGTERM, syscall.SIGINT)
	sup := newSupervisor()
	stop := make(chan struct{})

	if o.forward {
		if err := requireForwarding(); err != nil {
			return err
		}
	}
	// A VLAN's access port first: a host's IPv6 address or token in a
	// VLAN goes on its TAP, named by the same wire address.
	var taps map[netip.Addr]string
	if len(o.vlans) > 0 {
		if err := withNetlink("set up VLAN access ports", func(h *netlink.Handle) (err error) {
			taps, err = setUpVLANs(h, o.vlans)
			return err
		}); err != nil {
			return err
		}
	}
	if len(o.addresses6) > 0 {
		if err := withNetlink("set lab IPv6 addresses", func(h *netlink.Handle) error { return setAddresses6(h, o.addresses6, taps) }); err != nil {
			return err
		}
	}
	if len(o.slaac) > 0 {
		if err := withNetlink("set IPv6 tokens", func(h *netlink.Handle) error { return setSLAAC(h, sup, o.slaac, taps) }); err != nil {
			return err
		}
	}
	if len(o.addresses) > 0 {
		if err := withNetlink("set lab addresses", func(h *netlink.Handle) error { return setAddresses(h, o.addresses) }); err != nil {
			return err
		}
	}
	if len(o.local) > 0 {
		if err := withNetlink("set local addresses", func(h *netlink.Handle) error { return setLocal(h, o.local) }); err != nil {
			return err
		}
	}
	if len(o.pppoeHost.iface) > 0 {
		// The router's PPPoE server comes with its configuration, after
		// the lab is up: the client keeps dialling in the background.
		if err := startPPPoEClient(o.pppoeHost, stop); err != nil {
			return err
		}
	}
	if len(o.dhcpClients) > 0 {
		// The router's DHCP server comes with its configuration, after
		// the lab is up: the clients keep asking in the background.
		if err := startDHCPClients(o.dhcpClients, o.name, o.gateway == nil, stop); err != nil {
			return err
		}
	}
	if o.gateway != nil {
		h, err := netlink.NewHandle()
		if err != nil {
			return fmt.Errorf("open netlink to set the default route via %s: %w", o.gateway, err)
		}
		err = setDefaultGateway(h, o.gateway)
		h.Close()
		if err != nil {
			return err
		}
	}
	if o.gateway6 != nil {
		if err := withNetlink("set the IPv6 default route", func(h *netlink.Handle) error { return setDefaultGateway(h, o.gateway6) }); err != nil {
			return err
		}
	}
	if o.wgOn {
		// After the default route: a full tunnel keeps its endpoint on it.
		if err := startWireGuard(o.wgOpts, o.gateway, log.Printf); err != nil {
			return err
		}
	}
	for _, to := range o.ipTunOpts {
		// After the default route: the tunnel's outer packets take it.
		if err := startIPTunnel(to, log.Printf); err != nil {
			return err
		}
	}
	if o.routingOn {
		var first netip.Addr
		if len(o.addresses) > 0 {
			first = o.addresses[0].lab.Addr()
		}
		if err := startRouting(&o.routing, first, sup, stop, log.Printf); err != nil {
			return err
		}
	}
	if err := setUpAccess(sup, &o.access); err != nil {
		return err
	}
	if slices.Contains(o.serve, "whoami") {
		for _, port := range o.ports {
			ws, err := listenWhoami(o.listen, port)
			if err != nil {
				return err
			}
			ws.serve(o.name, log.Printf)
		}
		if o.httpPort > 0 && slices.Contains(o.ports, o.httpPort) {
			// A forward to port 80 makes it a whoami port: the whoami line answers there, and
			// the http probe takes a whoami line as the node's answer.
			log.Printf("whoami: port %d serves the whoami line, not HTTP", o.httpPort)
		} else if o.httpPort > 0 {
			ln, err := net.Listen("tcp", net.JoinHostPort(o.listen, strconv.Itoa(o.httpPort)))
			if err != nil {
				return fmt.Errorf("listen whoami on http port %d: %w", o.httpPort, err)
			}
			serveWhoamiHTTP(o.name, ln, log.Printf)
		}
	}
	var cs *cloudServer
	if slices.Contains(o.serve, "cloud") {
		if cs, err = startCloud(o.cloud, o.listen, log.Printf); err != nil {
			return err
		}
		defer cs.close()
	}
	if slices.Contains(o.serve, "dns") {
		ds, err := listenPublicDNS(o.listen, o.dnsPort, o.zones)
		if err != nil {
			return err
		}
		if cs != nil {
			ds.cloud = cs.standIn // the names the stand-in publishes
		}
		ds.follow = o.follow
		ds.serve(log.Printf)
	}
	if slices.Contains(o.serve, "doh") {
		dh, err := newDoHServer(o.zones, o.dohZones, o.dohNames, log.Printf)
		if err != nil {
			return err
		}
		if _, err := dh.listen(o.listen, o.dohPort); err != nil {
			return err
		}
		defer dh.close()
	}
	if slices.Contains(o.serve, "dhcp") {
		dhcpSrv, err := startDHCPServer(o.dhcp.parsed, log.Printf)
		if err != nil {
			return err
		}
		defer dhcpSrv.Close()
	}
	if slices.Contains(o.serve, "dhcp6") {
		srv, err := startDHCP6Server(o.dhcp6.parsed, log.Printf)
		if err != nil {
			return err
		}
		defer srv.Close()
	}
	if slices.Contains(o.serve, "vrrp") {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := startVRRP(ctx, o.vrrp.parsed, log.Printf); err != nil {
			return err
		}
	}
	if slices.Contains(o.serve, "pppoe") {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := startPPPoEServer(ctx, o.pppoeOpts, log.Printf); err != nil {
			return err
		}
	}
	if slices.Contains(o.serve, "ftp") {
		ln, err := net.Listen("tcp4", net.JoinHostPort(o.listen, strconv.Itoa(ftpPort)))
		if err != nil {
			return fmt.Errorf("serve ftp: %w", err)
		}
		defer ln.Close()
		go serveFTP(o.name, ln, log.Printf)
		log.Printf("ftp: passive-mode FTP on %s", ln.Addr())
	}
	if slices.Contains(o.serve, "iperf3") {
		if _, err := exec.LookPath("iperf3"); err != nil {
			return fmt.Errorf("serve iperf3: %w", err)
		}
		for _, port := range o.iperfPorts {
			go sup.keep(fmt.Sprintf("iperf3 server on port %d", port), func() *exec.Cmd {
				return iperfServerCmd(o.listen, port)
			}, stop)
		}
		if err := waitListening(o.iperfPorts, iperfReadyBudget(loadavg.Load(), runtime.NumCPU()), stopSig); err != nil {
			sup.killAll()
			return err
		}
	}
	// The harness's command servers (internal/execserve) are children
	// like any other here: the supervisor starts and reaps them.
	if err := execserve.ListenMember(func(cmd *exec.Cmd) error {
		_, err := sup.start(cmd)
		return err
	}); err != nil {
		log.Printf("%v (the harness falls back to docker exec)", err)
	}
	fmt.Fprintln(stdout, "labagent ready")

	sig := <-stopSig
	log.Printf("got %s; stopping", sig)
	close(stop)
	sup.killAll()
	return nil
}

// iperfServerTimeout is how long a node's iperf3 server waits on a test whose data stopped
// coming (--rcv-timeout) or being acknowledged (--snd-timeout) before it gives the test up. Each
// server runs one test at a time, and a test whose client was stopped while the path was broken
// (a WAN renumbered under it, a probe that ran out of time) kept it busy for iperf3's default of
// 120 s: every later step on that port failed with "server is busy". 5 s is far above the gaps of
// a working transfer, even one shaped to a few kbit/s, and within the probe's 10 s of retries.
const iperfServerTimeout = 5 * time.Second

// iperfServerCmd is one iperf3 server. Its output goes to the container log, where a failed
// throughput test can be read.
func iperfServerCmd(listen string, port int) *exec.Cmd {
	ms := strconv.FormatInt(iperfServerTimeout.Milliseconds(), 10)
	args := []string{"-s", "-p", strconv.Itoa(port), "--rcv-timeout", ms, "--snd-timeout", ms}
	if listen != "" {
		args = append(args, "-B", listen)
	}
	cmd := exec.Command("iperf3", args...)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	return cmd
}

// requireForwarding turns IPv4 forwarding on. Docker mounts /proc/sys read-only, so in a
// container this only succeeds when the lab already set it with --sysctl; the error says so.
func requireForwarding() error {
	const path = "/proc/sys/net/ipv4/ip_forward"
	b, err := os.ReadFile(path)
	if err == nil && strings.TrimSpace(string(b)) == "1" {
		return nil
	}
	if err := os.WriteFile(path, []byte("1\n"), 0o644); err != nil {
		return fmt.Errorf("enable IPv4 forwarding in %s (start the container with --sysctl net.ipv4.ip_forward=1): %w", path, err)
	}
	return nil
}

// waitListening waits until a TCP socket listens on each of ports, by reading /proc/net/tcp and
// tcp6: connecting to iperf3 to check would count as a (failed) test in its log.
func waitListening(ports []int, budget time.Duration, abort <-chan os.Signal) error {
	deadline := time.Now().Add(budget)
	for {
		missing, err := notListening(ports)
		if err != nil {
			return err
		}
		if len(missing) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("wait for iperf3 to listen on tcp ports %v: nothing listens after %s", missing, budget)
		}
		select {
		case sig := <-abort:
			return fmt.Errorf("wait for iperf3 to listen: got %s", sig)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// notListening returns the ports of ports on which no TCP socket listens.
func notListening(ports []int) ([]int, error) {
	listening := map[int]bool{}
	for _, path := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(path)
		if err != nil {
			if os.IsNotExist(err) {
				continue // no IPv6 in this kernel
			}
			return nil, fmt.Errorf("read listening sockets: %w", err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// "  0: 00000000:1451 00000000:0000 0A ..." (local address, remote address, state)
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || fields[3] != "0A" { // 0A is TCP_LISTEN
				continue
			}
			_, hexPort, ok := strings.Cut(fields[1], ":")
			if !ok {
				continue
			}
			if p, err := strconv.ParseUint(hexPort, 16, 16); err == nil {
				listening[int(p)] = true
			}
		}
		f.Close()
	}
	var missing []int
	for _, p := range ports {
		if !listening[p] {
			missing = append(missing, p)
		}
	}
	return missing, nil
}
