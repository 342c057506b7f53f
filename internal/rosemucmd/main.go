// Package rosemucmd is rosemu, the RouterOS emulator daemon. It runs as the main
// process of the router container: it takes the container's interfaces as
// RouterOS ports, serves the RouterOS API and an SSH console on a separate
// management namespace, and enforces the configuration with nftables.
//
//	rosemu --identity router --port ether1=203.0.113.0/24 --port ether2=192.168.88.0/24 \
//	       --mgmt 172.31.255.0/24 --api :8728 --ssh :22
package rosemucmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/chrlab/chrlab/internal/execserve"
	"github.com/chrlab/chrlab/rosemu/api"
	"github.com/chrlab/chrlab/rosemu/auth"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/files"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/bird"
	"github.com/chrlab/chrlab/rosemu/service/cloud"
	dhcpsvc "github.com/chrlab/chrlab/rosemu/service/dhcp"
	"github.com/chrlab/chrlab/rosemu/service/dhcp6"
	"github.com/chrlab/chrlab/rosemu/service/dhcpserver"
	"github.com/chrlab/chrlab/rosemu/service/dns"
	"github.com/chrlab/chrlab/rosemu/service/fetch"
	"github.com/chrlab/chrlab/rosemu/service/fqdn"
	"github.com/chrlab/chrlab/rosemu/service/hotspot"
	"github.com/chrlab/chrlab/rosemu/service/ipsec"
	"github.com/chrlab/chrlab/rosemu/service/ipsvc"
	"github.com/chrlab/chrlab/rosemu/service/iptunnel"
	"github.com/chrlab/chrlab/rosemu/service/l2tpserver"
	"github.com/chrlab/chrlab/rosemu/service/netwatch"
	"github.com/chrlab/chrlab/rosemu/service/ovpn"
	"github.com/chrlab/chrlab/rosemu/service/pppoeclient"
	"github.com/chrlab/chrlab/rosemu/service/pppoeserver"
	"github.com/chrlab/chrlab/rosemu/service/ra"
	"github.com/chrlab/chrlab/rosemu/service/scheduler"
	"github.com/chrlab/chrlab/rosemu/service/sstpserver"
	"github.com/chrlab/chrlab/rosemu/service/upnp"
	"github.com/chrlab/chrlab/rosemu/service/vpnports"
	"github.com/chrlab/chrlab/rosemu/service/vrrp"
	"github.com/chrlab/chrlab/rosemu/service/wireguard"
	"github.com/chrlab/chrlab/rosemu/sshd"
	rosversion "github.com/chrlab/chrlab/rosemu/version"
)

// portFlags collects repeated --port name=subnet flags in order.
type portFlags []kernel.Port

func (p *portFlags) String() string { return fmt.Sprint(*p) }

func (p *portFlags) Set(v string) error {
	name, subnet, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("port %q is not name=subnet", v)
	}
	pfx, err := netip.ParsePrefix(subnet)
	if err != nil {
		return fmt.Errorf("port %s: %w", name, err)
	}
	*p = append(*p, kernel.Port{Name: name, Subnet: pfx.Masked()})
	return nil
}

// Main runs rosemu with os.Args; cmd/rosemu and the rosemu role of cmd/chrlab call it.
func Main() {
	if len(os.Args) > 1 && os.Args[1] == "exec-serve" {
		// The lab's command server (internal/execserve): every command
		// the harness runs in the router's container after the first.
		if err := execserve.Serve(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "rosemu exec-serve:", err)
			os.Exit(1)
		}
		return
	}
	var ports portFlags
	identity := flag.String("identity", "MikroTik", "initial /system identity")
	mgmt := flag.String("mgmt", "", "subnet of the management network (its interface moves to its own namespace)")
	apiAddr := flag.String("api", ":8728", "RouterOS API listen address")
	sshAddr := flag.String("ssh", ":22", "SSH console listen address")
	version := flag.String("version", rosversion.Default, "emulated RouterOS version")
	state := flag.String("state", "/var/lib/rosemu", "folder for the SSH host key")
	serial := flag.String("serial", "", "serial number for IP Cloud's dns-name (default: derived from the identity)")
	cloudCheck := flag.Duration("cloud-check", cloud.DefaultCheck, "how often IP Cloud checks the public address (RouterOS: 60s)")
	mgmtPort := flag.String("mgmt-port", "", "a RouterOS port that is the management NIC (its addresses go to the management namespace), instead of --mgmt")
	autorun := flag.String("autorun", "", "a script run once at start and then removed, as RouterOS runs rw/autorun.scr")
	consoleFlag := flag.Bool("console", false, "serve a fresh CHR's login and CLI on stdin and stdout (the vm guest's serial console)")
	defaultDHCP := flag.Bool("default-dhcp-client", true, "start with a DHCP client on the first port, as a fresh CHR does")
	gwCheck := flag.Duration("check-gateway-interval", kernel.DefaultGatewayCheck.Interval, "how often check-gateway probes a route's gateway (RouterOS: 10s)")
	ctMax := flag.Int("conntrack-max", 0, "emulate a connection table of this many entries (1..1000000; 0: the kernel's own limit). A lab setting, not RouterOS configuration: RouterOS derives max-entries from RAM")
	flag.Var(&ports, "port", "a RouterOS port as name=subnet, in port order (repeat)")
	flag.Parse()
	// Only a given --check-gateway-interval fixes the timing: without it
	// the configuration's /routing settings check-gateway-ping-* (7.x)
	// or RouterOS's 10 s decide.
	gwSet := false
	flag.Visit(func(f *flag.Flag) { gwSet = gwSet || f.Name == "check-gateway-interval" })
	if !gwSet {
		*gwCheck = 0
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	o := options{ports: ports, identity: *identity, mgmt: *mgmt, apiAddr: *apiAddr, sshAddr: *sshAddr,
		version: *version, state: *state, serial: *serial, cloudCheck: *cloudCheck, gwCheck: *gwCheck,
		mgmtPort: *mgmtPort, autorun: *autorun, defaultDHCP: *defaultDHCP, console: *consoleFlag, conntrackMax: *ctMax}
	if err := run(log, o); err != nil {
		fmt.Fprintln(os.Stderr, "rosemu:", err)
		os.Exit(1)
	}
}

// options are the daemon's flags.
type options struct {
	ports                                            portFlags
	identity, mgmt, apiAddr, sshAddr, version, state string
	serial                                           string
	cloudCheck                                       time.Duration
	mgmtPort, autorun                                string
	defaultDHCP, console                             bool
	gwCheck                                          time.Duration
	// conntrackMax is the emulated capacity of the connection table
	// (kernel/capacity.go); 0 leaves the kernel's limit.
	conntrackMax int
}

func run(log *slog.Logger, o options) error {
	ports, identity, mgmt, version := o.ports, o.identity, o.mgmt, o.version
	// The container stops with SIGTERM; ending at once keeps lab teardown fast.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := kernel.SetupOptions{Ports: ports}
	if mgmt != "" {
		p, err := netip.ParsePrefix(mgmt)
		if err != nil {
			return fmt.Errorf("parse --mgmt: %w", err)
		}
		opts.Mgmt = p.Masked()
	}
	macs := map[string]string{}
	if o.mgmtPort != "" {
		opts.MgmtLink = o.mgmtPort
		mac, err := portMAC(o.mgmtPort)
		if err != nil {
			return err
		}
		macs[o.mgmtPort] = mac
	}
	dp, err := kernel.Setup(opts)
	if err != nil {
		return err
	}
	defer dp.Close()
	if o.conntrackMax != 0 {
		// Before any traffic, so that every connection is counted.
		if err := dp.SetConntrackCapacity(o.conntrackMax); err != nil {
			return fmt.Errorf("--conntrack-max: %w", err)
		}
		log.Info("setup", "conntrack-max", o.conntrackMax, "note", "emulated table capacity, shown as max-entries")
	}
	if o.gwCheck > 0 {
		dp.SetGatewayCheck(kernel.GatewayCheck{Interval: o.gwCheck, Timeout: min(time.Second, o.gwCheck), Failures: kernel.DefaultGatewayCheck.Failures})
	}
	var kern config.Kernel = dp
	for _, w := range dp.Warnings() {
		log.Warn("setup", "warning", w)
	}
	var names []string
	for _, p := range ports {
		names = append(names, p.Name)
		if mac, err := portMAC(p.Name); err == nil {
			macs[p.Name] = mac
		}
	}
	if o.mgmtPort != "" {
		// The management NIC is the last port, as on CHR where it is the
		// last NIC QEMU has.
		names = append(names, o.mgmtPort)
		kern = mgmtKernel{Dataplane: dp, port: o.mgmtPort}
	}
	// The DNS server listens in the router's own namespace on every address
	// of the router; the firewall's input chain decides who may ask, as on
	// RouterOS.
	dnsSrv := dns.New(":53", log)
	// The DHCP client, IP Cloud and the host-name address lists run in
	// the router's namespace too, so their packets cross the router's own
	// firewall and NAT as on RouterOS.
	dhcpMgr := dhcpsvc.New(log)
	dhcp6Mgr := dhcp6.New(log)
	// VRRP speaks on the router's links; its state brings the virtual
	// routers' links up or down.
	vrrpMgr := vrrp.New(log)
	pppoeMgr := pppoeclient.New(log)
	pppoeSrv := pppoeserver.New(log)
	// The L2TP server's UDP 1701 is the router's own, in its namespace.
	l2tpSrv := l2tpserver.New(log)
	// The SSTP server's TCP port likewise.
	sstpSrv := sstpserver.New(log)
	// The OpenVPN servers and clients are openvpn processes in the
	// router's namespace.
	ovpnSrv := ovpn.New(log)
	ovpnCli := ovpn.NewClients(log)
	ipsecSvc := ipsec.New(log)
	// WireGuard's UDP sockets are the router's own, in its namespace.
	wgMgr := wireguard.New(log)
	// GRE and IPIP likewise: their raw sockets are the router's own.
	ipTunMgr := iptunnel.New(log)
	// Router advertisements are the router's own ICMPv6 on its links.
	raMgr := ra.New(log)
	// OSPF is BIRD in the router's namespace: its hellos and routes are
	// the router's own.
	routing := bird.New(log, filepath.Join(os.TempDir(), "rosemu-bird"))
	cloudSvc := cloud.New(cloud.Options{Serial: o.serial, Check: o.cloudCheck, Log: log})
	hosts := fqdn.New(fqdn.Options{Log: log})
	// The router's own services (/ip service) listen in the router's
	// namespace on its lab addresses; the management API and SSH below
	// stay in the management namespace, the harness's path.
	services := ipsvc.New(log)
	services.StateDir = o.state
	// The enabled VPN servers' ports are bound (no VPN protocol runs), so
	// they read open as on RouterOS rather than closed.
	vpnPorts := &vpnports.Manager{Log: log}
	// UPnP's gateway answers the LAN in the router's namespace; its
	// mappings are dynamic nat rules of the configuration.
	upnpGW := &upnp.Manager{Log: log}
	// The hotspot's login page answers its clients in the router's
	// namespace; its logins are /ip hotspot active of the configuration.
	hsPage := &hotspot.Manager{Log: log}
	dhcpd := dhcpserver.New(log)
	// The file store takes SFTP uploads for /import: configurations too
	// large for one SSH command go in that way.
	store := &files.Store{}
	save := newSaver(o.state, log)
	// Remote logging actions send from the router's namespace, so their
	// datagrams cross its routing and firewall as RouterOS's own do.
	syslog := newSyslogSender(log)
	r := config.New(config.Options{Syslog: syslog.Send, Identity: identity, Ports: names, MACs: macs, DefaultDHCPClient: o.defaultDHCP && !save.saved(), Version: version, Kernel: kern,
		DNS: dnsSrv, DHCP: dhcpMgr, DHCP6: dhcp6Mgr, PPPoE: pppoeMgr, PPPoEServer: pppoeSrv, L2TPServer: l2tpSrv, SSTPServer: sstpSrv, OVPNServer: ovpnSrv, OVPNClient: ovpnCli, IPsec: ipsecSvc, WireGuard: wgMgr, IPTunnels: ipTunMgr, RA: raMgr, Routing: routing, Cloud: cloudSvc, FQDN: hosts, Conntrack: dp, Counters: dp, Links: dp, Files: store,
		OnCommit: []func(){services.Wake, vpnPorts.Wake, upnpGW.Wake, hsPage.Wake, dhcpd.Wake, save.Wake, vrrpMgr.Wake}})
	dnsSrv.Update(r.DNS())
	// A static entry's address-list= gets the addresses its answers carry.
	dnsSrv.ListSink = r.AddDNSListEntries
	r.SetBootTime(time.Now())
	// :resolve asks the router's own resolver, as on RouterOS; its lookup
	// does not tell a missing name from a failing server, so every failure
	// reads as RouterOS's "dns name does not exist".
	resolveName := func(ctx context.Context, name string) (netip.Addr, error) {
		addrs, _, err := dnsSrv.LookupIP(ctx, name, false)
		if err != nil || len(addrs) == 0 {
			return netip.Addr{}, script.ErrNoSuchName
		}
		return addrs[0], nil
	}
	r.SetResolver(resolveName)
	// :resolve type=ipv6 asks the same resolver for AAAA.
	r.SetResolver6(func(ctx context.Context, name string) (netip.Addr, error) {
		addrs, _, err := dnsSrv.LookupIP(ctx, name, true)
		if err != nil || len(addrs) == 0 {
			return netip.Addr{}, script.ErrNoSuchName
		}
		return addrs[0], nil
	})
	// :resolve server= asks that server alone, from the router as its
	// resolver's upstream queries go.
	r.SetServerResolver(func(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error) {
		addrs, err := dnsSrv.LookupIPAt(ctx, server, port, name)
		if errors.Is(err, dns.ErrNameError) {
			return netip.Addr{}, script.ErrNoSuchName
		}
		if err != nil {
			return netip.Addr{}, err
		}
		return addrs[0], nil
	})
	// :resolve type=ipv6 server= asks that server alone for AAAA.
	r.SetServerResolver6(func(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error) {
		addrs, err := dnsSrv.LookupIP6At(ctx, server, port, name)
		if errors.Is(err, dns.ErrNameError) {
			return netip.Addr{}, script.ErrNoSuchName
		}
		if err != nil {
			return netip.Addr{}, err
		}
		return addrs[0], nil
	})
	// A WireGuard peer's endpoint-address may be a name: the router's
	// resolver answers it, as :resolve.
	wgMgr.Resolve = resolveName
	// /ping in scripts sends its echoes as netwatch's probes do.
	r.SetPinger(netwatch.Ping)
	// /tool fetch's HTTP leaves from the router's namespace too, and a
	// host name in its URL is asked of the router's resolver, A first
	// and then AAAA, never of the container's (forum46 D1: the lookup
	// left the lab and fetch by name failed where :resolve worked).
	r.SetFetcher(fetch.New(func(ctx context.Context, name string) ([]netip.Addr, error) {
		addrs, _, err := dnsSrv.LookupIP(ctx, name, false)
		if err == nil && len(addrs) > 0 {
			return addrs, nil
		}
		if addrs6, _, err6 := dnsSrv.LookupIP(ctx, name, true); err6 == nil && len(addrs6) > 0 {
			return addrs6, nil
		}
		if err == nil {
			err = script.ErrNoSuchName
		}
		return nil, err
	}))
	syslog.resolve = resolveName
	go syslog.run(ctx)
	// A port's carrier coming or going is logged as RouterOS logs it.
	dp.OnCarrier(r.LogCarrier)
	// A failing connection-rate sampler is logged, so that the run's
	// report says the rules were not enforced for a while.
	dp.OnConnRate(r.LogConnRate)
	// The firewall's log rules write to the router's log: bound before
	// the first ruleset is loaded, so that every log statement of it
	// reaches rosemu.
	if err := dp.ListenLog(ctx, r.LogFirewall); err != nil {
		log.Warn("setup", "warning", "firewall log entries go to the kernel's log, not /log: "+err.Error())
	}
	// Install the empty configuration now, so the router enforces its
	// (empty) firewall from the first moment rather than after the first
	// change.
	if err := kern.Apply(r.State()); err != nil {
		return fmt.Errorf("apply the initial configuration: %w", err)
	}
	// A restarted router comes back with its configuration (persist.go).
	if err := save.restore(ctx, r); err != nil {
		log.Error("restore", "error", err)
	}
	// The router has booted once its saved configuration is loaded: the
	// startup scheduler entries of that configuration run startupDelay
	// later; entries added after this wait for the next start, as on
	// RouterOS (config.SchedulerEntry.After).
	r.SetBootTime(time.Now())

	apiL, err := dp.Listen("tcp", o.apiAddr)
	if err != nil {
		return fmt.Errorf("listen for the API on %s: %w", o.apiAddr, err)
	}
	sshL, err := dp.Listen("tcp", o.sshAddr)
	if err != nil {
		return fmt.Errorf("listen for SSH on %s: %w", o.sshAddr, err)
	}
	// The management path checks logins against /user as the lab side
	// does, without address= (the harness's path has no lab address):
	// a configuration that changes admin's password or removes admin
	// ends the harness's next login, not the sessions it holds.
	apiSrv := &api.Server{Device: r, Version: version, Log: log, Auth: mgmtLogin(r, "api")}
	sshSrv := &sshd.Server{Console: r, StateDir: o.state, Identity: func() string { return identityOf(ctx, r) }, Note: r.LoginNote, Log: log,
		Auth: mgmtLogin(r, "ssh"), Files: store}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return apiSrv.Serve(gctx, apiL) })
	g.Go(func() error { return sshSrv.Serve(gctx, sshL) })
	g.Go(func() error { return dnsSrv.Serve(gctx) })
	g.Go(func() error { return dhcpMgr.Run(gctx, r) })
	g.Go(func() error { return dhcp6Mgr.Run(gctx, r) })
	g.Go(func() error { return vrrpMgr.Run(gctx, r) })
	g.Go(func() error { return pppoeMgr.Run(gctx, r) })
	g.Go(func() error { return pppoeSrv.Run(gctx, r) })
	g.Go(func() error { return l2tpSrv.Run(gctx, r) })
	g.Go(func() error { return sstpSrv.Run(gctx, r) })
	g.Go(func() error { return ovpnSrv.Run(gctx, r) })
	g.Go(func() error { return ovpnCli.Run(gctx, r) })
	g.Go(func() error { return ipsecSvc.Run(gctx, r) })
	g.Go(func() error { return wgMgr.Run(gctx, r) })
	g.Go(func() error { return ipTunMgr.Run(gctx, r) })
	g.Go(func() error { raMgr.Run(gctx); return nil })
	routing.Sink = r.SetRoutingState
	g.Go(func() error { routing.Run(gctx); return nil })
	g.Go(func() error { return services.Run(gctx, r) })
	g.Go(func() error { return vpnPorts.Run(gctx, r) })
	g.Go(func() error { return upnpGW.Run(gctx, r) })
	g.Go(func() error { return hsPage.Run(gctx, r) })
	g.Go(func() error { return dhcpd.Run(gctx, r) })
	g.Go(func() error { return cloudSvc.Run(gctx, r, dnsSrv) })
	g.Go(func() error { return hosts.Run(gctx, r, dnsSrv) })
	g.Go(func() error { return scheduler.New(r, nil, log).Run(gctx) })
	g.Go(func() error { return netwatch.New(r, nil, log).Run(gctx) })
	g.Go(func() error { return save.Run(gctx, r) })
	if o.autorun != "" {
		runAutorun(ctx, log, r, o.autorun)
	}
	// The harness's command servers (internal/execserve).
	if err := execserve.ListenMember(execserve.StartAndWait); err != nil {
		log.Warn("the harness falls back to docker exec", "err", err)
	}
	fmt.Println("rosemu ready")
	if o.console {
		rawConsole(int(os.Stdin.Fd()))
		sc := &serialConsole{r: r, version: version, in: bufio.NewReader(os.Stdin), out: os.Stdout}
		go sc.serve(ctx)
	}
	err = g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// identityOf reads /system identity for the SSH prompt.
func identityOf(ctx context.Context, r *config.Router) string {
	rows, _, err := r.Command(ctx, "/system/identity/print", nil)
	if err == nil && len(rows) > 0 {
		if name, ok := rows[0].Get("name"); ok {
			return name
		}
	}
	return "MikroTik"
}

// mgmtLogin checks a management login against /user for policy.
func mgmtLogin(r *config.Router, policy string) auth.Func {
	return func(user, password string) bool {
		logout, ok := r.Login(user, password, nil, policy, policy)
		if ok {
			logout()
		}
		return ok
	}
}
