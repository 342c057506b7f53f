package config

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

type recordingPPPoE struct{ updates [][]PPPoEClient }

func (f *recordingPPPoE) Update(c []PPPoEClient) { f.updates = append(f.updates, c) }

func TestPPPoEClientValidation(t *testing.T) {
	for _, tt := range []struct{ src, wantErr string }{
		{src: "/interface pppoe-client add", wantErr: "failure: interface not specified (line 1 column 1)"},
		{src: "/interface pppoe-client add interface=ether9", wantErr: "input does not match any value of interface (line 1 column 29)"},
		{src: "/interface pppoe-client add interface=ether1 max-mtu=20", wantErr: "invalid value for argument max-mtu (line 1 column 46)"},
		{src: "/interface pppoe-client add interface=ether1 allow=eap", wantErr: "invalid value for argument allow (line 1 column 46)"},
		{src: "/interface pppoe-client add interface=ether1 profile=nosuch", wantErr: "input does not match any value of profile (line 1 column 46)"},
		{src: "/interface pppoe-client add interface=ether1 dial-on-demand=yes"},
		// A 6.47.10 export turns the LCP echo off so.
		{src: "/interface pppoe-client add interface=ether1 keepalive-timeout=disabled"},
		{src: "/interface pppoe-client add interface=ether1 keepalive-timeout=never", wantErr: "invalid value for argument keepalive-timeout (line 1 column 46)"},
		{src: "/interface pppoe-client add interface=ether1 name=ether2", wantErr: "failure: already have interface with such name (line 1 column 46)"},
		{src: "/interface pppoe-client add add-default-route=yes default-route-distance=2 disabled=no interface=ether1 keepalive-timeout=60 max-mru=1480 max-mtu=1480 name=pppoe-out1 use-peer-dns=yes user=home password=s3cret service-name=internet ac-name=isp1 allow=pap,chap comment=wan"},
	} {
		r := New(Options{Ports: ports})
		_, err := r.Run(context.Background(), tt.src)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tt.src, err)
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
		}
	}
}

func TestPPPoESessionState(t *testing.T) {
	svc := &recordingPPPoE{}
	k := &fakeKernel{}
	r := New(Options{Ports: ports, PPPoE: svc, Kernel: k})
	run(t, r, `/interface pppoe-client add interface=ether1 user=home password=s3cret add-default-route=yes default-route-distance=2 use-peer-dns=yes
/interface list add name=WAN
/interface list member add list=WAN interface=pppoe-out1
/ip firewall nat add chain=srcnat out-interface=pppoe-out1 action=masquerade`)
	last := svc.updates[len(svc.updates)-1]
	if len(last) != 1 || last[0].Name != "pppoe-out1" || !last[0].Disabled || last[0].Password != "s3cret" || last[0].Allow != "pap,chap,mschap1,mschap2" || last[0].KeepaliveSeconds != 10 {
		t.Fatalf("service got %+v: want pppoe-out1, disabled by default, every protocol allowed", last)
	}
	if err := r.SetPPPoESession("pppoe-out1", "connected", nil); err == nil {
		t.Error("session of a disabled client accepted")
	}
	run(t, r, "/interface pppoe-client enable pppoe-out1")
	if got := run(t, r, ":put [/interface pppoe-client get pppoe-out1 status]"); got != "initializing...\n" {
		t.Errorf("status before a session = %q", got)
	}
	if out := run(t, r, "/interface pppoe-client print detail"); strings.Contains(out, "s3cret") {
		t.Errorf("print shows the password:\n%s", out)
	}
	s := &PPPoESession{Local: netip.MustParseAddr("100.64.7.9"), Remote: netip.MustParseAddr("198.51.100.1"),
		DNS: []netip.Addr{netip.MustParseAddr("198.51.100.53")}, MTU: 1480}
	if err := r.SetPPPoESession("pppoe-out1", "connected", s); err != nil {
		t.Fatal(err)
	}
	st := r.State()
	if len(st.Addresses) != 1 || st.Addresses[0] != (kernel.Address{Prefix: netip.MustParsePrefix("100.64.7.9/32"), Interface: "pppoe-out1"}) {
		t.Errorf("state addresses = %+v", st.Addresses)
	}
	if len(st.Routes) != 1 || st.Routes[0] != (kernel.Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "pppoe-out1", Distance: 2}) {
		t.Errorf("state routes = %+v", st.Routes)
	}
	if got := st.InterfaceLists["WAN"]; len(got) != 1 || got[0] != "pppoe-out1" {
		t.Errorf("WAN list = %v", got)
	}
	if out := run(t, r, "/ip address print"); !strings.Contains(out, "D  100.64.7.9/32") || !strings.Contains(out, "pppoe-out1") {
		t.Errorf("address print:\n%s", out)
	}
	if got := run(t, r, ":put [/ip dns get dynamic-servers]"); got != "198.51.100.53\n" {
		t.Errorf("dynamic-servers = %q", got)
	}
	if got := run(t, r, ":put [/interface pppoe-client get pppoe-out1 status]"); got != "connected\n" {
		t.Errorf("status = %q", got)
	}
	// Disabling the client takes the address, route and DNS with it.
	run(t, r, "/interface pppoe-client disable pppoe-out1")
	st = r.State()
	if len(st.Addresses) != 0 || len(st.Routes) != 0 {
		t.Errorf("after disable: addresses %+v routes %+v", st.Addresses, st.Routes)
	}
	if got := run(t, r, ":put [/ip dns get dynamic-servers]"); got != "\n" {
		t.Errorf("dynamic-servers after disable = %q", got)
	}
	exp := body(r.Export())
	if !strings.Contains(exp, "/interface pppoe-client\nadd add-default-route=yes default-route-distance=2 interface=ether1 name=\\\n    pppoe-out1 password=s3cret use-peer-dns=yes user=home\n/interface list member") || strings.Contains(exp, "100.64.7.9") {
		t.Errorf("export:\n%s", exp)
	}
}

func TestPPPoEClientNotEnforced(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/interface pppoe-client add interface=ether1 user=home")
	if n := len(r.NotEnforced()); n != 0 {
		t.Fatalf("defaults reported not enforced: %+v", r.NotEnforced())
	}
	run(t, r, "/interface pppoe-client set pppoe-out1 mrru=1600")
	got := r.NotEnforced()
	if len(got) != 1 || !strings.Contains(fmt.Sprintf("%+v", got[0]), "mrru") {
		t.Fatalf("NotEnforced = %+v, want mrru", got)
	}
}

// TestKeepaliveSeconds: disabled is no LCP echo, unset the default 10 s.
func TestKeepaliveSeconds(t *testing.T) {
	for v, want := range map[string]int{"disabled": 0, "": 10, "60": 60, "0": 0} {
		if got := keepaliveSeconds(v); got != want {
			t.Errorf("keepaliveSeconds(%q) = %d, want %d", v, got, want)
		}
	}
}

// TestPPPoEClampsMSS: the built-in default profile clamps the MSS of a
// PPPoE client's session, as on RouterOS; a profile with
// change-tcp-mss=no does not, and one with "default" takes the default
// profile's value.
func TestPPPoEClampsMSS(t *testing.T) {
	r := New(Options{Ports: ports, PPPoE: &recordingPPPoE{}, Kernel: &fakeKernel{}})
	run(t, r, `/interface pppoe-client add interface=ether1 user=home password=s3cret disabled=no`)
	s := &PPPoESession{Local: netip.MustParseAddr("100.64.7.9"), Remote: netip.MustParseAddr("198.51.100.1"), MTU: 1492}
	if err := r.SetPPPoESession("pppoe-out1", "connected", s); err != nil {
		t.Fatal(err)
	}
	want := []kernel.MSSClamp{{Link: "pppoe-out1", MTU: 1492}}
	if got := r.State().MSSClamps; !slices.Equal(got, want) {
		t.Errorf("default profile: clamps %+v, want %+v", got, want)
	}
	run(t, r, "/ppp profile add name=noclamp change-tcp-mss=no\n/interface pppoe-client set pppoe-out1 profile=noclamp")
	if err := r.SetPPPoESession("pppoe-out1", "connected", s); err != nil {
		t.Fatal(err)
	}
	if got := r.State().MSSClamps; len(got) != 0 {
		t.Errorf("change-tcp-mss=no: clamps %+v", got)
	}
	run(t, r, "/ppp profile set noclamp change-tcp-mss=default")
	if got := r.State().MSSClamps; !slices.Equal(got, want) {
		t.Errorf("change-tcp-mss=default: clamps %+v, want the default profile's", got)
	}
	run(t, r, "/ppp profile set default change-tcp-mss=no")
	if got := r.State().MSSClamps; len(got) != 0 {
		t.Errorf("default profile off: clamps %+v", got)
	}
	if exp := r.Export(); !strings.Contains(exp, "change-tcp-mss=no") {
		t.Errorf("export lacks the default profile's change:\n%s", exp)
	}
}

// TestPPPoEClientExportOrder (realcheck28): a queue tree whose parent is
// the PPPoE client (a 6.47.8 RB952 export: "/queue tree add
// max-limit=920k name=Upload parent=AAISP") must come after the client
// in rosemu's export, as in RouterOS's, or the export does not import
// back ("input does not match any value of parent"). The client needs
// its profile first.
func TestPPPoEClientExportOrder(t *testing.T) {
	for _, v := range []string{"6.47.8", "7.16.2"} {
		src := `/ppp profile add name=isp
/interface pppoe-client add interface=ether1 name=AAISP user=u profile=isp
/queue tree add max-limit=920k name=Upload parent=AAISP queue=default
/queue simple add name=q1 target=AAISP max-limit=1M/1M`
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: v})
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		exp := r.Export()
		if c, q := strings.Index(exp, "/interface pppoe-client"), strings.Index(exp, "/queue tree"); c < 0 || q < 0 || q < c {
			t.Errorf("%s: the queue tree is exported before the PPPoE client it names:\n%s", v, exp)
		}
		r2 := New(Options{Ports: []string{"ether1", "ether2"}, Version: v})
		if _, err := r2.Run(context.Background(), exp); err != nil {
			t.Errorf("%s: the export does not import back: %v\n%s", v, err, exp)
		}
	}
}

// A PPPoE client's running flag follows its session (forum50 D2): a
// watchdog script's "[/interface pppoe-client get pppoe-out1 running]" was
// refused (no such property), "find where running=yes" found nothing while
// connected and "[/interface get pppoe-out1 running]" was true with the
// session down.
func TestPPPoEClientRunning(t *testing.T) {
	r := New(Options{Ports: ports, PPPoE: &recordingPPPoE{}, Kernel: &fakeKernel{}})
	run(t, r, "/interface pppoe-client add interface=ether1 user=home password=s3cret disabled=no")
	const probe = `:put ([/interface pppoe-client get pppoe-out1 running] . " " . [/interface get pppoe-out1 running] . " " . [:len [/interface pppoe-client find where running=yes disabled=no]] . " " . [:len [/interface find running]])`
	if got := run(t, r, probe); got != "false false 0 3\n" {
		t.Errorf("before a session: %q", got)
	}
	s := &PPPoESession{Local: netip.MustParseAddr("100.64.7.9"), Remote: netip.MustParseAddr("198.51.100.1"), MTU: 1480}
	if err := r.SetPPPoESession("pppoe-out1", "connected", s); err != nil {
		t.Fatal(err)
	}
	if got := run(t, r, probe); got != "true true 1 4\n" {
		t.Errorf("connected: %q", got)
	}
	if err := r.SetPPPoESession("pppoe-out1", "disconnected", nil); err != nil {
		t.Fatal(err)
	}
	if got := run(t, r, probe); got != "false false 0 3\n" {
		t.Errorf("disconnected: %q", got)
	}
	run(t, r, "/interface pppoe-client disable pppoe-out1")
	if got := run(t, r, probe); got != "false false 0 3\n" {
		t.Errorf("disabled: %q", got)
	}
}

// A static address on a PPPoE client (an ISP's second public address,
// routed to the session) waits for the session: while the client dials
// the interface has no link, and the address's kernel sync refused the
// whole configuration (f69 D3: "sync addresses of interface pppoe-out1:
// find it in the router namespace: Link not found"). It stays in the
// configuration and comes with the session, and goes with it.
func TestPPPoEStaticAddressWaitsForSession(t *testing.T) {
	r := New(Options{Ports: ports, PPPoE: &recordingPPPoE{}, Kernel: &fakeKernel{}})
	run(t, r, `/interface pppoe-client add disabled=no interface=ether1 user=home password=s3cret
/ip address add address=203.0.113.3/32 interface=pppoe-out1 comment=second`)
	if st := r.State(); len(st.Addresses) != 0 {
		t.Errorf("while dialling, state addresses = %+v; want none (pppoe-out1 has no link yet)", st.Addresses)
	}
	if out := run(t, r, "/ip address print where comment=second"); !strings.Contains(out, "203.0.113.3/32") {
		t.Errorf("the static address left the configuration:\n%s", out)
	}
	s := &PPPoESession{Local: netip.MustParseAddr("203.0.113.2"), Remote: netip.MustParseAddr("203.0.113.1"), MTU: 1480}
	if err := r.SetPPPoESession("pppoe-out1", "connected", s); err != nil {
		t.Fatal(err)
	}
	want := []kernel.Address{{Prefix: netip.MustParsePrefix("203.0.113.3/32"), Interface: "pppoe-out1"}, {Prefix: netip.MustParsePrefix("203.0.113.2/32"), Interface: "pppoe-out1"}}
	if st := r.State(); !slices.Equal(st.Addresses, want) {
		t.Errorf("session up: state addresses = %+v, want %+v", st.Addresses, want)
	}
	if err := r.SetPPPoESession("pppoe-out1", "disconnected", nil); err != nil {
		t.Fatal(err)
	}
	if st := r.State(); len(st.Addresses) != 0 {
		t.Errorf("session down: state addresses = %+v; want none", st.Addresses)
	}
}
