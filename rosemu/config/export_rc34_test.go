package config

import (
	"strings"
	"testing"
)

// TestExportScriptDefaults: RouterOS writes a script's
// dont-require-permissions, owner and policy, and a scheduler entry's
// policy, in every export, at their defaults too. All 108 /system script
// lines of the RouterOS 7 exports of realcheck27-34 carry the three (a
// 7.23.3 CCR2004's "add dont-require-permissions=no name=dorb
// owner=ansible policy=ftp,reboot,read,write,policy,test,password,sniff,
// sensitive,romon source=\"/system reboot\""), as do those of 6.43.7 to
// 6.49.18; all 69 /system scheduler lines carry policy. A 6.42.1 export
// writes owner and policy but no dont-require-permissions, a 6.27 one
// policy only. rosemu left the three out at their defaults (realcheck34
// D1), so its export of nearly every router with a script differed from
// the router's own.
func TestExportScriptDefaults(t *testing.T) {
	src := "/system script add name=a source=\":log info x\"\n" +
		"/system scheduler add interval=1d name=s on-event=a start-time=03:00:00\n"
	// Wrapped as RouterOS wraps them (a 7.15 hEX S's export: "add
	// dont-require-permissions=no name=exportbackup owner=admin policy=\",
	// "    ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon
	// source=\").
	pol := "policy=\\\n    ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon"
	for _, v := range []string{"7.23.3", "6.49.7", "6.43.7"} {
		exportOf(t, v, src,
			"/system script\nadd dont-require-permissions=no name=a owner=admin "+pol+" source=\\\n    \":log info x\"\n",
			"/system scheduler\nadd interval=1d name=s on-event=a "+pol+" \\\n")
	}
	// RouterOS 6.42.1 had no dont-require-permissions in its exports.
	r := exportOf(t, "6.42.1", src, "add name=a owner=admin "+pol)
	if exp := r.Export(); strings.Contains(exp, "dont-require-permissions") {
		t.Errorf("6.42.1: export writes dont-require-permissions:\n%s", exp)
	}
}

// TestVerboseUnsetNotInCompact: a verbose export writes an unset property
// as "!name" (a simple queue's "!time"; a RouterOS 6 route's "!bgp-as-path
// ... !check-gateway ... !routing-mark", as a 6.49.7 RB951's verbose export
// adds its default route; a 7.24 bridge's "!dhcp-agent-circuit-id"), and
// the item it adds back is the item it came from: its compact export
// leaves them out, as every compact export of RouterOS does (none of the
// simple queues of the 17 realcheck exports that have them, 6.34.2 to
// 7.23.7, writes "!time"; "!check-gateway" appears in verbose exports
// only). rosemu stored them as set and wrote them in the compact export of
// the re-imported router (realcheck34 D2: "target=... !time" on the simple
// queues of 16 of the 191 earlier exports). The scheduler's "!days" is
// kept: a 7.24.5 compact export writes it.
func TestVerboseUnsetNotInCompact(t *testing.T) {
	src := "/queue simple add max-limit=1M/2M name=q target=10.0.0.0/24\n"
	for _, v := range []string{"6.49.7", "7.18.2"} {
		r := runShape(t, v, ports, src)
		want := body(r.Export())
		verbose := run(t, r, "/export verbose")
		if !strings.Contains(verbose, "!time") {
			t.Errorf("%s: verbose export lacks !time:\n%s", v, verbose)
		}
		if got := body(runShape(t, v, ports, verbose).Export()); got != want {
			t.Errorf("%s: compact export after the verbose one:\n%s\nwant\n%s", v, got, want)
		}
	}
	for v, line := range map[string]string{
		"6.49.7": "/ip route add !bgp-as-path !bgp-atomic-aggregate !bgp-communities !bgp-local-pref !bgp-med !bgp-origin !bgp-prepend !check-gateway disabled=no distance=1 dst-address=0.0.0.0/0 gateway=10.0.0.1 !route-tag !routing-mark scope=30 target-scope=10\n",
		"7.24.1": "/interface bridge add !dhcp-agent-circuit-id !dhcpv6-agent-circuit-id name=bridge\n",
	} {
		if exp := body(runShape(t, v, ports, line).Export()); strings.Contains(exp, "!") {
			t.Errorf("%s: compact export writes an unset property:\n%s", v, exp)
		}
	}
	exportOf(t, "7.24.5", "/system scheduler add !days interval=1d name=s on-event=\":log info x\"\n", "add !days interval=1d name=s")
}

// TestExportDNSStaticTypeA: RouterOS 7.16 and later write a static DNS
// entry's type=A, the default, in every export: all 140 A entries of the
// 7.16.2 to 7.23.x exports of realcheck27-34 carry it (a 7.20.7 hEX
// refresh's "add address=192.168.88.1 comment=defconf name=router.lan
// type=A"), while 7.14.1 and older, and every 6.x, leave it out ("add
// address=10.0.0.1 comment=defconf name=router.lan" of a 7.14.1 L009).
// rosemu left it out everywhere (realcheck34 D3).
func TestExportDNSStaticTypeA(t *testing.T) {
	src := "/ip dns static add address=192.168.88.1 comment=defconf name=router.lan\n" +
		"/ip dns static add cname=router.lan name=r.lan type=CNAME\n"
	for _, v := range []string{"7.16.2", "7.20.7", "7.23.3"} {
		exportOf(t, v, src, "add address=192.168.88.1 comment=defconf name=router.lan type=A\n", "add cname=router.lan name=r.lan type=CNAME\n")
	}
	for _, v := range []string{"7.14.1", "6.49.7"} {
		exportOf(t, v, src, "add address=192.168.88.1 comment=defconf name=router.lan\n")
	}
}

// TestExportDottedShorthand: RouterOS writes a dotted property whose group
// the property before it on the line shares as ".name": "local.address=...
// .role=ebgp", "remote.address=... .as=64515 .port=179",
// "output.default-originate=never .network=...", "configuration.mode=ap
// .ssid=MyWifi". The 212 real exports of realcheck27-34 write 655 such
// tokens and never the full name after a token of the same group; rosemu
// wrote every one in full (realcheck34 D4). A group's first property, and
// one after a plain property of the group's name ("configuration=x
// configuration.mode=ap"), keep the full name.
func TestExportDottedShorthand(t *testing.T) {
	src := "/routing bgp template add as=65001 name=t1\n" +
		"/routing bgp connection add as=65010 local.address=10.0.0.1 local.role=ebgp multihop=yes name=bgp " +
		"output.default-originate=never output.network=nets remote.address=10.0.0.2/32 remote.as=64515 templates=t1\n" +
		"/ip firewall address-list add address=10.1.0.0/24 list=nets\n"
	r := exportOf(t, "7.20.8", src)
	for _, form := range []string{"/export", "/export terse", "/export verbose"} {
		out := unwrapExport(run(t, r, form))
		want := []string{" .role=ebgp", " .network=nets", " .as=64515", " local.address=10.0.0.1", " remote.address=10.0.0.2/32"}
		if form != "/export verbose" { // verbose writes output.add-path="" first
			want = append(want, " output.default-originate=never")
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q:\n%s", form, w, out)
			}
		}
		if strings.Contains(out, "local.role") || strings.Contains(out, "remote.as") {
			t.Errorf("%s writes a full name after its group:\n%s", form, out)
		}
	}
}

// TestExportBareFlags: RouterOS 7 writes a flag property that is on as its
// bare name: "/ip route add blackhole comment=... distance=240
// dst-address=160.22.180.0/23" and "/routing table add fib
// name=rt_latency" of a 7.19.4 CCR2216's terse export, an OSPF interface
// template's "passive". The 212 real exports of realcheck27-34 write 145
// blackhole, 49 passive and 30 fib tokens so and none as "=yes"; rosemu
// wrote blackhole=yes, fib=yes, passive=yes (realcheck34 D5). Not every
// console flag is so: use-bfd is "use-bfd=yes" in 7.x exports.
func TestExportBareFlags(t *testing.T) {
	src := "/routing table add fib name=rt_latency\n" +
		"/ip route add blackhole comment=global distance=240 dst-address=160.22.180.0/23\n" +
		"/ipv6 route add blackhole dst-address=2001:db8::/32\n" +
		"/routing ospf instance add name=o router-id=10.0.0.1\n" +
		"/routing ospf area add instance=o name=a\n" +
		"/routing ospf interface-template add area=a interfaces=ether2 passive\n"
	r := exportOf(t, "7.19.4", src,
		"add fib name=rt_latency\n",
		"add blackhole comment=global distance=240 dst-address=160.22.180.0/23\n",
		"add blackhole dst-address=2001:db8::/32\n",
		"add area=a interfaces=ether2 passive\n")
	if out := run(t, r, "/export terse"); strings.Contains(out, "=yes") {
		t.Errorf("terse export writes a flag as =yes:\n%s", out)
	}
}
