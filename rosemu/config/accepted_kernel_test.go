package config

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/version"
)

// lastState is a kernel that keeps the last state the engine commits. It
// renders each as the engine does with no kernel, so what it accepts is
// what chrlab validate accepts.
type lastState struct{ st *kernel.State }

func (k *lastState) Apply(st *kernel.State) error {
	if _, err := kernel.Render(st); err != nil {
		return fmt.Errorf("apply state: %w", err)
	}
	if _, err := kernel.Render6(st.IPv6, st.InterfaceLists); err != nil {
		return fmt.Errorf("apply state: %w", err)
	}
	if err := kernel.CheckRouting(st); err != nil {
		return fmt.Errorf("apply state: %w", err)
	}
	k.st = st
	return nil
}

// canLoad says whether this machine can load a state into a real kernel
// (root, ip and nft); why says what is missing.
func canLoad() (ok bool, why string) {
	if os.Geteuid() != 0 {
		return false, "needs root to create network namespaces"
	}
	for _, tool := range []string{"ip", "nft", "tc"} {
		if _, err := exec.LookPath(tool); err != nil {
			return false, "needs " + tool
		}
	}
	return true, ""
}

var acceptedNs atomic.Int64

// acceptedLoads is the property "no accepted configuration breaks the
// router": runs go through the engine in order with no kernel, up to the
// first it refuses; the last state the engine committed is applied to a
// real kernel (a fresh namespace with a veth per port), where nft, tc and
// ip links, addresses, routes and rules must take it. It returns the
// engine's refusal (nil: all accepted) and the kernel's (nil: loaded).
func acceptedLoads(t testing.TB, runs []string, ver string, ports []string) (refused, broke error) {
	t.Helper()
	k := &lastState{}
	r := New(Options{Ports: ports, Version: ver, Kernel: k})
	for _, src := range runs {
		if _, refused = r.Run(context.Background(), src); refused != nil {
			break
		}
	}
	if k.st == nil {
		return nil, nil // nothing committed: the empty state
	}
	ns := fmt.Sprintf("rosemu-acc%d-%d", os.Getpid(), acceptedNs.Add(1))
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", ns, err, out)
	}
	defer exec.Command("ip", "netns", "del", ns).Run()
	var kp []kernel.Port
	for j, name := range ports {
		dev := fmt.Sprintf("w%d", j)
		sub := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 251, byte(j), 0}), 24)
		for _, args := range [][]string{
			// A veth pair inside the namespace: this kernel may lack dummy.
			{"-n", ns, "link", "add", dev, "type", "veth", "peer", "name", "p" + dev},
			{"-n", ns, "addr", "add", fmt.Sprintf("10.251.%d.1/24", j), "dev", dev},
			{"-n", ns, "link", "set", dev, "up"},
		} {
			if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
				t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
			}
		}
		kp = append(kp, kernel.Port{Name: name, Subnet: sub})
	}
	dp, err := kernel.Setup(kernel.SetupOptions{Netns: ns, Ports: kp})
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	defer dp.Close()
	return refused, dp.Apply(k.st)
}

// seedSource is one configuration of the repository: the runs a router
// gets in order (a lab's base, a case's configuration, its configure
// steps), its RouterOS version (empty: the default) and ports.
type seedSource struct {
	runs    []string
	version string
	ports   []string
}

// seedSources are the repository's configurations: every scenario's
// router on its lab's base with its configure steps, the labs' base
// files, the validate and export corpora of this package and the check
// corpus of harness/check.
func seedSources(t testing.TB) map[string]seedSource {
	t.Helper()
	out := map[string]seedSource{}
	read := func(f string) string {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for _, pat := range []string{"../../labs/*.rsc", "testdata/validate/*.rsc", "testdata/exports/*.rsc",
		"../../harness/check/testdata/*.rsc", "../../harness/export/testdata/*.rsc"} {
		files, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			src := read(f)
			out[strings.TrimPrefix(f, "../../")] = seedSource{runs: []string{src}, version: version.OfExport(src), ports: PortsOf(src)}
		}
	}
	cases, err := filepath.Glob("../../scenarios/*/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range cases {
		var doc struct {
			Lab    yaml.Node `yaml:"lab"`
			Router yaml.Node `yaml:"router"`
			Steps  []struct {
				RSC    string `yaml:"rsc"`
				Router string `yaml:"router"`
			} `yaml:"steps"`
		}
		if err := yaml.Unmarshal([]byte(read(f)), &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var runs []string
		nports := 1
		if doc.Lab.Kind == yaml.ScalarNode {
			var lab struct {
				Router struct {
					Base  string `yaml:"base"`
					Ports []any  `yaml:"ports"`
				} `yaml:"router"`
			}
			labFile := "../../labs/" + doc.Lab.Value + ".yaml"
			if strings.HasSuffix(doc.Lab.Value, ".yaml") {
				labFile = filepath.Join(filepath.Dir(f), doc.Lab.Value)
			}
			if err := yaml.Unmarshal([]byte(read(labFile)), &lab); err != nil {
				t.Fatalf("%s: %v", doc.Lab.Value, err)
			}
			if lab.Router.Base != "" {
				runs = append(runs, read(filepath.Join(filepath.Dir(labFile), lab.Router.Base)))
			}
			nports = len(lab.Router.Ports)
		}
		switch {
		case doc.Router.Kind != yaml.ScalarNode:
		case strings.HasSuffix(doc.Router.Value, ".rsc") && !strings.Contains(doc.Router.Value, "\n"):
			runs = append(runs, read(filepath.Join(filepath.Dir(f), doc.Router.Value)))
		default:
			runs = append(runs, doc.Router.Value)
		}
		for _, st := range doc.Steps {
			if st.RSC != "" && st.Router == "" {
				runs = append(runs, st.RSC)
			}
		}
		ports := PortsOf(strings.Join(runs, "\n"))
		for i := len(ports); i < nports; i++ {
			ports = append(ports, fmt.Sprintf("ether%d", i+1))
		}
		name := strings.TrimPrefix(filepath.Dir(f), "../../")
		out[name] = seedSource{runs: runs, version: version.OfExport(strings.Join(runs, "\n")), ports: ports}
	}
	return out
}

// sweepTest skips a sweep of many configurations with -short (minutes of
// namespaces on the shared machine) and where nothing can be loaded.
func sweepTest(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("minutes of namespaces: run by hand (docs/robustness.md)")
	}
	if ok, why := canLoad(); !ok {
		t.Skip(why)
	}
	netnstest.SweepStale()
}

// TestAcceptedSeedsLoad: every configuration of the repository that the
// engine accepts loads into a real kernel whole.
func TestAcceptedSeedsLoad(t *testing.T) {
	sweepTest(t)
	seeds := seedSources(t)
	if len(seeds) < 200 {
		t.Fatalf("%d seeds: the globs miss the repository's configurations", len(seeds))
	}
	for name, seed := range seeds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			refused, broke := acceptedLoads(t, seed.runs, seed.version, seed.ports)
			if refused != nil {
				t.Logf("refused by the engine: %v", refused)
			}
			checkLoaded(t, broke)
		})
	}
}

// checkLoaded fails t on the kernel's refusal of an accepted state, and
// skips it when this machine's kernel lacks a feature (802.1Q, bridge
// VLAN filtering): the machine, not the configuration.
func checkLoaded(t *testing.T, broke error) {
	t.Helper()
	switch {
	case broke == nil:
	case strings.Contains(broke.Error(), "the kernel lacks"):
		t.Skipf("%v", broke)
	default:
		t.Errorf("the engine accepts it, the kernel refuses it: %v", broke)
	}
}

// TestAcceptedEdgesLoad: configurations the engine accepts that the
// kernel refused (found by TestAcceptedVariantsLoad) load now. Fast
// enough for make unit, unlike the two sweeps.
func TestAcceptedEdgesLoad(t *testing.T) {
	if ok, why := canLoad(); !ok {
		t.Skip(why)
	}
	netnstest.SweepStale()
	for name, src := range map[string]string{
		// Linux refuses 0xa0 (its isspace; the second byte of "à"), \r
		// and '%' in an interface name.
		"a bridge named vlàn":      "/interface bridge add name=vlàn\n/interface bridge port add bridge=vlàn interface=ether2",
		"a bridge named a%db":      "/interface bridge add name=\"a%db\"\n/ip address add address=10.9.8.1/24 interface=\"a%db\"",
		"a WireGuard named a\\rb":  "/interface wireguard add name=\"a\\rb\" listen-port=13231 private-key=\"oGlTr4mFfHyE+dvDYc6EdEPHWV7E4YIPAxbK7dDCXX0=\"",
		"a GRE tunnel named v\\A0": "/interface gre add name=\"v\\C3\\A0\" remote-address=10.251.0.2 local-address=10.251.0.1",
		// HTB counts bytes/s: a max-limit of 1 bit/s was a rate of 0.
		"a tree leaf of max-limit=1": "/queue tree add name=root parent=ether1 max-limit=10M\n/queue tree add name=leaf parent=root packet-mark=no-mark max-limit=1",
		// nft names the ECN-Echo flag "ecn".
		"tcp-flags=ece":         "/ip firewall filter add chain=forward protocol=tcp tcp-flags=!syn,!ack,fin,ece,cwr action=drop",
		"a simple queue of 1/1": "/queue simple add name=q1 target=10.0.0.0/24 max-limit=1/1",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			refused, broke := acceptedLoads(t, []string{src}, "", []string{"ether1", "ether2", "ether3"})
			if refused != nil {
				t.Fatalf("the engine refuses it: %v", refused)
			}
			checkLoaded(t, broke)
		})
	}
}

// hostileNames are names RouterOS takes in quotes: spaces, quotes, a
// backslash, Linux's refused bytes ('/', ':', whitespace, and 0xa0, which
// the kernel's isspace counts and "à" holds in UTF-8), nft's wildcard, and
// lengths around Linux's 15 bytes, nft's identifiers and comments.
var hostileNames = []string{
	"plain", `"my name"`, `"a\"b"`, `"a\\b"`, `"a/b"`, `"a:b"`, `"x*"`, `"-x"`, `"."`, `".."`, `"v\C3\A0"`, "vlàn", "ünï",
	`"日本語"`, `"a\tb"`, `"a\rb"`, `"a%b"`, `"a%db"`, `"$x"`, `"{x}"`, `"a;b"`, `"#x"`, `"@x"`,
	strings.Repeat("n", 15), strings.Repeat("n", 16), strings.Repeat("é", 8), strings.Repeat("a", 63), strings.Repeat("a", 64),
	strings.Repeat("b", 120), strings.Repeat("c", 250), strings.Repeat("d", 300),
}

// nameTemplates each make a configuration around one name ($N).
var nameTemplates = []string{
	"/interface vlan add name=$N interface=ether1 vlan-id=10\n/ip address add address=10.9.9.1/24 interface=$N\n/ip firewall filter add chain=forward in-interface=$N action=drop",
	"/interface bridge add name=$N\n/interface bridge port add bridge=$N interface=ether2\n/ip address add address=10.9.8.1/24 interface=$N",
	"/interface ethernet set ether2 name=$N\n/ip address add address=10.9.7.1/24 interface=$N\n/ip firewall nat add chain=srcnat out-interface=$N action=masquerade",
	"/ip firewall address-list add list=$N address=10.0.0.1\n/ip firewall filter add chain=forward src-address-list=$N action=drop\n/ip firewall filter add chain=forward dst-address-list=!$N action=accept",
	"/ipv6 firewall address-list add list=$N address=2001:db8::/64\n/ipv6 firewall filter add chain=forward src-address-list=$N action=drop",
	"/ip firewall filter add chain=$N action=accept\n/ip firewall filter add chain=forward action=jump jump-target=$N",
	"/ip firewall nat add chain=$N action=accept\n/ip firewall nat add chain=dstnat action=jump jump-target=$N",
	"/ip firewall mangle add chain=$N action=accept\n/ip firewall mangle add chain=prerouting action=jump jump-target=$N",
	"/ipv6 firewall filter add chain=$N action=accept\n/ipv6 firewall filter add chain=forward action=jump jump-target=$N",
	"/interface list add name=$N\n/interface list member add list=$N interface=ether1\n/ip firewall filter add chain=forward in-interface-list=$N action=drop\n/ip firewall filter add chain=forward out-interface-list=!$N action=drop",
	"/ip firewall filter add chain=forward comment=$N log=yes log-prefix=$N action=accept",
	"/ip firewall filter add chain=input action=log log-prefix=$N",
	"/ip firewall mangle add chain=prerouting action=mark-packet new-packet-mark=$N passthrough=yes\n/ip firewall filter add chain=forward packet-mark=$N action=drop\n/ip firewall filter add chain=forward packet-mark=!$N action=accept",
	"/ip firewall mangle add chain=prerouting action=mark-connection new-connection-mark=$N\n/ip firewall filter add chain=forward connection-mark=$N action=drop",
	"/routing table add name=$N fib\n/ip firewall mangle add chain=prerouting action=mark-routing new-routing-mark=$N\n/ip route add dst-address=0.0.0.0/0 gateway=10.251.0.2 routing-table=$N\n/routing rule add src-address=10.0.0.0/8 table=$N action=lookup",
	"/queue simple add name=$N target=10.0.0.0/24 max-limit=1M/1M",
	"/ip firewall mangle add chain=forward action=mark-packet new-packet-mark=$N\n/queue tree add name=$N parent=global packet-mark=$N max-limit=1M",
	"/queue type add name=$N kind=pcq pcq-classifier=dst-address pcq-rate=1M\n/queue simple add name=q target=10.0.0.0/24 queue=$N/$N",
	"/interface gre add name=$N remote-address=10.251.0.2 local-address=10.251.0.1\n/ip address add address=10.9.6.1/30 interface=$N",
	"/interface eoip add name=$N remote-address=10.251.0.2 tunnel-id=7\n/interface bridge add name=br\n/interface bridge port add bridge=br interface=$N",
	"/interface vxlan add name=$N vni=10 remote-ip=10.251.0.2\n/ip address add address=10.9.5.1/24 interface=$N",
	"/ip vrf add name=$N interfaces=ether3\n/ip route add dst-address=0.0.0.0/0 gateway=10.251.2.2@$N routing-table=$N",
	"/interface wireguard add name=$N listen-port=13231 private-key=\"oGlTr4mFfHyE+dvDYc6EdEPHWV7E4YIPAxbK7dDCXX0=\"\n/ip address add address=10.9.4.1/24 interface=$N",
	"/interface bridge add name=br vlan-filtering=yes\n/interface bridge port add bridge=br interface=ether2 pvid=10\n/interface vlan add name=$N interface=br vlan-id=10\n/interface bridge vlan add bridge=br tagged=br untagged=ether2 vlan-ids=10",
	"/ip firewall layer7-protocol add name=$N regexp=x\n/ip firewall filter add chain=forward layer7-protocol=$N action=drop",
	"/ip firewall filter add chain=forward content=$N action=drop\n/ip firewall filter add chain=forward tls-host=$N action=drop",
	"/ip dhcp-client add interface=ether1 comment=$N",
	"/ip firewall address-list add list=l address=10.0.0.0/24 comment=$N\n/ip firewall filter add chain=forward src-address-list=l action=add-src-to-address-list address-list=$N address-list-timeout=1h",
}

// valueVariants are configurations at the edges of numbers, ranges,
// negations and lists.
var valueVariants = []string{
	"/ip firewall filter add chain=forward protocol=tcp dst-port=0 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp dst-port=65535 src-port=0-65535 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp dst-port=!1-1024 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp dst-port=1-100,50-60,80,80,65535 action=drop",
	"/ip firewall filter add chain=forward protocol=udp dst-port=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 action=drop",
	"/ip firewall filter add chain=forward protocol=udp dst-port=100-200,150-250,300 action=drop",
	"/ip firewall filter add chain=forward protocol=udp port=53,5353 action=drop",
	"/ip firewall filter add chain=forward src-address=10.0.0.1-10.0.0.200 dst-address=!10.0.0.0/8 action=drop",
	"/ip firewall filter add chain=forward src-address=10.0.0.5/24 action=drop",
	"/ip firewall filter add chain=forward src-address=0.0.0.0/0 dst-address=255.255.255.255 action=drop",
	"/ip firewall filter add chain=forward src-address=10.0.0.9-10.0.0.1 action=drop",
	"/ip firewall filter add chain=forward protocol=255 action=drop",
	"/ip firewall filter add chain=forward protocol=!tcp action=drop",
	"/ip firewall filter add chain=forward packet-size=0-65535 ttl=equal:255 action=drop",
	"/ip firewall filter add chain=forward packet-size=!100-200 ttl=greater-than:0 action=drop",
	"/ip firewall filter add chain=forward ttl=less-than:0 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp tcp-mss=65535 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp tcp-mss=!0-536 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp connection-limit=4294967295,32 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp connection-limit=1,0 action=drop",
	"/ip firewall filter add chain=forward limit=4294967295,4294967295:packet action=accept",
	"/ip firewall filter add chain=forward limit=1/1d,1:packet action=accept",
	"/ip firewall filter add chain=forward limit=1G/1s,1000000:bytes action=accept",
	"/ip firewall filter add chain=forward dst-limit=4294967295/1s,4294967295,dst-address/1d action=accept",
	"/ip firewall filter add chain=forward dscp=63 priority=7 action=drop",
	"/ip firewall filter add chain=forward nth=65535,65535 action=drop",
	"/ip firewall filter add chain=forward random=1 action=drop\n/ip firewall filter add chain=forward random=99 action=drop",
	"/ip firewall filter add chain=forward protocol=icmp icmp-options=255:255 action=drop",
	"/ip firewall filter add chain=forward protocol=icmp icmp-options=!8:0-255 action=drop",
	"/ip firewall filter add chain=forward protocol=tcp tcp-flags=!syn,!ack,fin,rst,psh,urg,ece,cwr action=drop",
	"/ip firewall filter add chain=forward connection-state=!established,related connection-nat-state=!srcnat,dstnat action=drop",
	"/ip firewall filter add chain=forward connection-bytes=0-4294967295 connection-rate=0-4294967295 action=drop",
	"/ip firewall filter add chain=forward connection-bytes=18446744073709551615-0 action=drop",
	"/ip firewall filter add chain=forward time=0s-1d,sun,mon,tue,wed,thu,fri,sat action=drop",
	"/ip firewall filter add chain=forward time=23h59m59s-0s,sat action=drop",
	"/ip firewall filter add chain=forward src-address-type=!local dst-address-type=broadcast,multicast,unicast action=drop",
	"/ip firewall filter add chain=forward in-interface=!ether1 out-interface=!ether2 action=drop",
	"/ip firewall filter add chain=forward src-mac-address=FF:FF:FF:FF:FF:FF action=drop",
	"/ip firewall filter add chain=forward per-connection-classifier=both-addresses-and-ports:65535/65534 action=drop",
	"/ip firewall filter add chain=forward per-connection-classifier=src-address:2/2 action=drop",
	"/ip firewall filter add chain=forward action=reject reject-with=icmp-admin-prohibited\n/ip firewall filter add chain=forward protocol=udp action=reject reject-with=tcp-reset",
	"/ip firewall filter add chain=forward protocol=tcp dst-port=80 action=tarpit",
	"/ip firewall nat add chain=dstnat protocol=tcp dst-port=1-65535 action=dst-nat to-addresses=10.0.0.1-10.0.0.255 to-ports=1-65535",
	"/ip firewall nat add chain=dstnat protocol=tcp dst-port=80 action=dst-nat to-addresses=10.0.0.255-10.0.0.1 to-ports=65535-1",
	"/ip firewall nat add chain=srcnat action=src-nat to-addresses=0.0.0.0/0",
	"/ip firewall nat add chain=srcnat action=netmap to-addresses=10.0.0.0/8 src-address=192.168.0.0/16",
	"/ip firewall nat add chain=srcnat action=netmap to-addresses=10.0.0.0/32 src-address=192.168.0.0/16",
	"/ip firewall nat add chain=dstnat action=redirect to-ports=0",
	"/ip firewall nat add chain=dstnat protocol=udp action=redirect to-ports=65535",
	"/ip firewall nat add chain=srcnat action=same to-addresses=10.0.0.1-10.0.0.9 same-not-by-dst=yes",
	"/ip firewall mangle add chain=forward protocol=tcp tcp-flags=syn action=change-mss new-mss=65535",
	"/ip firewall mangle add chain=forward protocol=tcp tcp-flags=syn action=change-mss new-mss=0",
	"/ip firewall mangle add chain=forward action=change-ttl new-ttl=increment:255\n/ip firewall mangle add chain=forward action=change-ttl new-ttl=decrement:255",
	"/ip firewall mangle add chain=forward action=change-dscp new-dscp=63\n/ip firewall mangle add chain=forward action=set-priority new-priority=from-dscp-high-3-bits",
	"/ip firewall mangle add chain=forward action=set-priority new-priority=4294967295",
	"/ip firewall mangle add chain=prerouting action=sniff-tzsp sniff-target=10.251.0.2 sniff-target-port=65535",
	"/ip firewall raw add chain=prerouting action=notrack\n/ip firewall raw add chain=output protocol=udp dst-port=53 action=drop",
	"/ip firewall address-list add list=r address=10.0.0.0/24\n/ip firewall address-list add list=r address=10.0.0.5\n/ip firewall address-list add list=r address=10.0.0.1-10.0.0.10\n/ip firewall address-list add list=r address=10.0.0.0/16\n/ip firewall filter add chain=forward src-address-list=r action=drop",
	"/ip firewall address-list add list=r address=0.0.0.0/0\n/ip firewall address-list add list=r address=10.0.0.1\n/ip firewall filter add chain=forward dst-address-list=r action=drop",
	"/ip firewall address-list add list=r address=10.0.0.255-10.0.0.0\n/ip firewall filter add chain=forward dst-address-list=r action=drop",
	"/ip firewall address-list add list=r address=example.invalid\n/ip firewall filter add chain=forward dst-address-list=r action=drop",
	"/ipv6 firewall address-list add list=r address=2001:db8::/32\n/ipv6 firewall address-list add list=r address=2001:db8::1\n/ipv6 firewall address-list add list=r address=::/0\n/ipv6 firewall filter add chain=forward src-address-list=r action=drop",
	"/ipv6 firewall filter add chain=forward src-address=2001:db8::1/64 dst-address=!::/0 protocol=icmpv6 action=drop",
	"/ipv6 firewall filter add chain=forward src-address=::ffff:10.0.0.1/128 action=drop",
	"/ipv6 firewall filter add chain=forward protocol=tcp dst-port=!1-1024,2000 action=drop",
	"/ipv6 firewall nat add chain=srcnat action=masquerade\n/ipv6 firewall nat add chain=dstnat action=dst-nat to-address=2001:db8::1/128 to-ports=65535",
	"/ipv6 firewall mangle add chain=prerouting action=mark-connection new-connection-mark=c\n/ipv6 firewall raw add chain=prerouting action=notrack",
	"/ipv6 address add address=2001:db8::1/64 interface=ether1\n/ipv6 address add address=2001:db8::1/128 interface=ether2\n/ipv6 route add dst-address=::/0 gateway=2001:db8::2",
	"/ipv6 address add address=fe80::1/64 interface=ether1\n/ipv6 route add dst-address=2001:db8:1::/48 gateway=fe80::2%ether1",
	"/ip address add address=10.9.0.1/32 interface=ether1\n/ip address add address=10.9.0.1/24 interface=ether2\n/ip address add address=10.9.1.1/0 interface=ether3",
	"/ip address add address=10.9.0.1/31 interface=ether1 network=10.9.0.0\n/ip address add address=10.9.2.1/32 interface=ether2 network=10.9.3.1",
	"/ip route add dst-address=0.0.0.0/0 gateway=10.251.0.2 distance=255\n/ip route add dst-address=0.0.0.0/0 gateway=10.251.1.2 distance=1\n/ip route add dst-address=0.0.0.0/0 gateway=10.251.0.2,10.251.1.2,10.251.0.2",
	"/ip route add dst-address=10.0.0.0/8 blackhole\n/ip route add dst-address=10.1.0.0/16 type=unreachable\n/ip route add dst-address=10.2.0.0/16 type=prohibit",
	"/ip route add dst-address=10.0.0.5/8 gateway=ether1\n/ip route add dst-address=0.0.0.0/0 gateway=10.251.0.2 pref-src=10.251.0.1 scope=255 target-scope=255",
	"/routing table add name=t fib\n/routing rule add table=t action=lookup-only-in-table src-address=0.0.0.0/0 dst-address=10.0.0.0/8 interface=ether1 routing-mark=t",
	"/routing table add name=t fib\n/routing rule add table=t action=drop\n/routing rule add action=unreachable dst-address=10.0.0.0/8",
	"/interface vlan add name=v1 interface=ether1 vlan-id=1\n/interface vlan add name=v4094 interface=ether1 vlan-id=4094 mtu=65535",
	"/interface vlan add name=v0 interface=ether1 vlan-id=0",
	"/interface vlan add name=a interface=ether1 vlan-id=5\n/interface vlan add name=b interface=a vlan-id=6\n/interface vlan add name=c interface=b vlan-id=7 use-service-tag=yes",
	"/interface ethernet set ether1 mtu=65535 l2mtu=65535\n/interface ethernet set ether2 mtu=68",
	"/interface bridge add name=br vlan-filtering=yes pvid=4094\n/interface bridge port add bridge=br interface=ether2 pvid=4094 frame-types=admit-only-vlan-tagged\n/interface bridge vlan add bridge=br vlan-ids=1-4094 tagged=ether2,br",
	"/interface bridge add name=br vlan-filtering=yes\n/interface bridge port add bridge=br interface=ether2\n/interface bridge port add bridge=br interface=ether3\n/interface bridge vlan add bridge=br vlan-ids=10,20,30-40 tagged=ether2 untagged=ether3",
	"/queue simple add name=q1 target=10.0.0.0/24 max-limit=4294967295/4294967295 limit-at=4294967295/4294967295",
	"/queue simple add name=q1 target=10.0.0.0/24 max-limit=100G/100G burst-limit=200G/200G burst-threshold=50G/50G burst-time=1d/1d",
	"/queue simple add name=q1 target=10.0.0.0/24 max-limit=1/1\n/queue simple add name=q2 target=10.0.0.0/24 max-limit=0/0 priority=8/8",
	"/queue simple add name=q1 target=ether1,ether2,10.0.0.1,2001:db8::/64 dst=10.0.0.0/8 max-limit=1M/1M packet-marks=a,b,c",
	"/queue simple add name=parent target=10.0.0.0/8 max-limit=10M/10M\n/queue simple add name=child parent=parent target=10.0.0.0/24 max-limit=20M/20M limit-at=30M/30M",
	"/queue tree add name=root parent=ether1 max-limit=4294967295\n/queue tree add name=leaf parent=root packet-mark=no-mark max-limit=1 limit-at=4294967295 priority=1",
	"/queue tree add name=root parent=global max-limit=10M bucket-size=10\n/queue tree add name=leaf parent=root packet-mark=m queue=pcq-upload-default",
	"/queue type add name=t kind=pcq pcq-rate=4294967295 pcq-limit=4294967295 pcq-total-limit=4294967295 pcq-classifier=src-address,dst-address,src-port,dst-port pcq-src-address-mask=0 pcq-dst-address6-mask=128\n/queue simple add name=q target=10.0.0.0/24 queue=t/t",
	"/queue type add name=t kind=pfifo pfifo-limit=4294967295\n/queue type add name=u kind=bfifo bfifo-limit=4294967295\n/queue simple add name=q target=10.0.0.0/24 queue=t/u",
	"/queue type add name=t kind=red red-limit=4294967295 red-min-threshold=0 red-max-threshold=4294967295 red-burst=0 red-avg-packet=65535\n/queue simple add name=q target=10.0.0.0/24 queue=t/t",
	"/queue type add name=t kind=sfq sfq-perturb=4294967295 sfq-allot=65535\n/queue interface set ether1 queue=t",
	"/queue type add name=t kind=fq-codel fq-codel-limit=4294967295 fq-codel-quantum=4294967295 fq-codel-flows=65536\n/queue simple add name=q target=10.0.0.0/24 queue=t/t",
	"/queue type add name=t kind=cake cake-bandwidth=4294967295 cake-rtt=1d\n/queue simple add name=q target=10.0.0.0/24 queue=t/t",
	"/ip settings set tcp-syncookies=yes rp-filter=strict\n/ip firewall connection tracking set tcp-established-timeout=4294967295s udp-timeout=0s max-entries=4294967295",
	"/ip firewall connection tracking set tcp-established-timeout=1w1d udp-stream-timeout=1d generic-timeout=0s",
	"/ip arp add address=10.251.0.9 mac-address=00:00:00:00:00:00 interface=ether1\n/ip arp add address=10.251.0.10 mac-address=FF:FF:FF:FF:FF:FF interface=ether1",
	"/ip firewall service-port set ftp ports=65535\n/ip firewall service-port set sip ports=1,2,3,4,5,6,7,8 sip-direct-media=no",
}

// manyVariants are configurations with many members: VLANs on one port,
// address-list entries (overlapping ranges, IPv6), rules, queues, routing
// tables, ports in one interface list.
func manyVariants() map[string]string {
	var vlans, list6, queues, tables, members, rules, tree strings.Builder
	for i := 1; i <= 300; i++ {
		fmt.Fprintf(&vlans, "/interface vlan add name=vlan%d interface=ether1 vlan-id=%d\n/ip address add address=10.%d.%d.1/24 interface=vlan%d\n", i, i, 100+i/250, i%250, i)
		fmt.Fprintf(&members, "/interface list member add list=many interface=vlan%d\n", i)
	}
	var list strings.Builder
	for i := 0; i < 3000; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&list, "/ip firewall address-list add list=big address=10.%d.%d.0/24\n", i/256, i%256)
		case 1:
			fmt.Fprintf(&list, "/ip firewall address-list add list=big address=10.%d.%d.7\n", (i-1)/256, (i-1)%256)
		case 2:
			fmt.Fprintf(&list, "/ip firewall address-list add list=big address=10.%d.%d.1-10.%d.%d.9\n", (i-2)/256, (i-2)%256, (i-2)/256, (i-2)%256)
		default:
			fmt.Fprintf(&list, "/ip firewall address-list add list=big address=172.16.%d.%d\n", i/256, i%256)
		}
		fmt.Fprintf(&list6, "/ipv6 firewall address-list add list=big6 address=2001:db8:%x::/48\n/ipv6 firewall address-list add list=big6 address=2001:db8:%x::1\n", i, i)
	}
	for i := 0; i < 1100; i++ {
		fmt.Fprintf(&queues, "/queue simple add name=q%d target=10.%d.%d.0/24 max-limit=%dk/%dk\n", i, i/256, i%256, 64+i, 64+i)
		fmt.Fprintf(&tree, "/queue tree add name=t%d parent=global packet-mark=m%d max-limit=%dk\n", i, i, 64+i)
	}
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&tables, "/routing table add name=t%d fib\n/ip route add dst-address=0.0.0.0/0 gateway=10.251.0.2 routing-table=t%d\n/routing rule add src-address=10.%d.%d.0/24 table=t%d\n", i, i, i/256, i%256, i)
	}
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&rules, "/ip firewall filter add chain=c%d protocol=tcp dst-port=%d action=accept\n/ip firewall filter add chain=forward action=jump jump-target=c%d\n", i%50, 1+i, i%50)
	}
	var ports []string
	for i := 1; i <= 15; i++ {
		ports = append(ports, fmt.Sprint(i*1000), fmt.Sprintf("%d-%d", i*1000+1, i*1000+10))
	}
	return map[string]string{
		"300 VLANs":               vlans.String(),
		"300 VLANs in one list":   vlans.String() + "/interface list add name=many\n" + members.String() + "/ip firewall filter add chain=forward in-interface-list=many action=drop",
		"3000 overlapping v4":     list.String() + "/ip firewall filter add chain=forward src-address-list=big action=drop",
		"6000 v6 entries":         list6.String() + "/ipv6 firewall filter add chain=forward src-address-list=big6 action=drop",
		"1100 simple queues":      queues.String(),
		"1100 tree queues":        tree.String(),
		"300 routing tables":      tables.String(),
		"6000 rules in 50 chains": rules.String(),
		"30 port entries":         "/ip firewall filter add chain=forward protocol=tcp dst-port=" + strings.Join(ports, ",") + " action=drop",
	}
}

// TestAcceptedVariantsLoad: configurations made to reach the renderer's
// edges (hostile names in every place a name reaches the kernel, numbers
// at their limits, ranges, negations, long lists, many VLANs, queues and
// tables) each load into a real kernel whenever the engine accepts them.
func TestAcceptedVariantsLoad(t *testing.T) {
	sweepTest(t)
	ports := []string{"ether1", "ether2", "ether3"}
	variants := map[string]string{}
	for i, tmpl := range nameTemplates {
		for j, n := range hostileNames {
			variants[fmt.Sprintf("template %d, name %d", i, j)] = strings.ReplaceAll(tmpl, "$N", n)
		}
	}
	for i, v := range valueVariants {
		variants[fmt.Sprintf("value %d", i)] = v
	}
	if os.Getenv("CHRLAB_ACCEPTED_MANY") != "" {
		for name, v := range manyVariants() {
			variants[name] = v
		}
	}
	for name, src := range variants {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			refused, broke := acceptedLoads(t, []string{src}, "", ports)
			if refused != nil {
				t.Logf("refused by the engine: %v", refused)
			}
			checkLoaded(t, broke)
			if t.Failed() {
				t.Logf("configuration:\n%s", src)
			}
		})
	}
}

// TestRoutingTablesOffline: the kernel holds 252 routing tables (8 bits of
// the mark); with no kernel the engine refuses the 253rd as the lab's
// router does, where it accepted it and the lab's commit failed.
func TestRoutingTablesOffline(t *testing.T) {
	var src strings.Builder
	for i := range 253 {
		fmt.Fprintf(&src, "/routing table add name=t%d fib\n", i)
	}
	r := New(Options{Ports: []string{"ether1"}})
	lines := strings.SplitAfter(src.String(), "\n")
	if _, err := r.Run(context.Background(), strings.Join(lines[:252], "")); err != nil {
		t.Fatalf("252 tables: %v", err)
	}
	_, err := r.Run(context.Background(), lines[252])
	if err == nil || !strings.Contains(err.Error(), "at most 252 routing tables") {
		t.Fatalf("the 253rd table: %v; want a refusal naming the limit", err)
	}
}
