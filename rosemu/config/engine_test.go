package config

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

var ports = []string{"ether1", "ether2", "ether3"}

func hairpin(t *testing.T) *Router {
	t.Helper()
	src, err := os.ReadFile("../../labs/hairpin.rsc")
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{Ports: ports})
	if _, err := r.Run(context.Background(), string(src)); err != nil {
		t.Fatalf("apply hairpin.rsc: %v", err)
	}
	return r
}

// body drops the export's time-stamped first line.
func body(export string) string {
	_, rest, _ := strings.Cut(export, "\n")
	return rest
}

func run(t *testing.T, r *Router, src string) string {
	t.Helper()
	out, err := r.Run(context.Background(), src)
	if err != nil {
		t.Fatalf("run %q: %v", src, err)
	}
	return out
}

func TestHairpinState(t *testing.T) {
	s := hairpin(t).State()
	if got := strings.Join(s.Ports, ","); got != "ether1,ether2,ether3" {
		t.Errorf("ports = %s", got)
	}
	wantAddr := []kernel.Address{
		{Prefix: netip.MustParsePrefix("203.0.113.2/24"), Interface: "ether1"},
		{Prefix: netip.MustParsePrefix("192.168.88.1/24"), Interface: "ether2"},
	}
	if len(s.Addresses) != 2 || s.Addresses[0] != wantAddr[0] || s.Addresses[1] != wantAddr[1] {
		t.Errorf("addresses = %+v", s.Addresses)
	}
	if len(s.Routes) != 1 || s.Routes[0] != (kernel.Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1}) {
		t.Errorf("routes = %+v", s.Routes)
	}
	if got := s.InterfaceLists["WAN"]; len(got) != 1 || got[0] != "ether1" {
		t.Errorf("WAN = %v", got)
	}
	if got := s.InterfaceLists["all"]; len(got) != 3 {
		t.Errorf("all = %v", got)
	}
	if got, ok := s.InterfaceLists["none"]; !ok || len(got) != 0 {
		t.Errorf("none = %v %v", got, ok)
	}
	if len(s.Filter) != 11 || len(s.NAT) != 1 {
		t.Fatalf("rules: %d filter, %d nat", len(s.Filter), len(s.NAT))
	}
	f := s.Filter[4].Props
	if f["chain"] != "input" || f["action"] != "drop" || f["in-interface-list"] != "!LAN" {
		t.Errorf("filter rule 4 = %v", f)
	}
	n := s.NAT[0].Props
	if n["action"] != "masquerade" || n["ipsec-policy"] != "out,none" || n["out-interface-list"] != "WAN" || n["chain"] != "srcnat" {
		t.Errorf("nat rule = %v", n)
	}
	if _, ok := n["disabled"]; ok {
		t.Errorf("enabled rule carries disabled: %v", n)
	}
}

func TestExportRoundTrip(t *testing.T) {
	r := hairpin(t)
	run(t, r, `/ip firewall nat add chain=dstnat action=dst-nat dst-address-type=local protocol=tcp dst-port=80,443,8000-8080 to-addresses=192.168.88.10 comment="port \"forward\" \$HOME \\ tab\there and a very long comment that must wrap across more than one export line for sure"
/ip firewall address-list add list=public address=example.com
/ip firewall address-list add list=public address=198.51.100.7 disabled=yes
/interface ethernet set [find default-name=ether3] comment="spare port"
/ip route add dst-address=10.0.0.0/8 gateway=ether2 distance=5`)
	exp := r.Export()
	if !strings.HasPrefix(exp, "# ") || !strings.Contains(exp, "by RouterOS 7.16.2\n# software id = \n#\n") {
		t.Fatalf("export header:\n%s", exp)
	}
	for _, l := range strings.Split(exp, "\n") {
		if len(l) > 80 {
			t.Errorf("line longer than 80: %q", l)
		}
	}
	if strings.Contains(exp, dummyNote) {
		t.Error("export contains the fasttrack dummy rule")
	}
	fresh := New(Options{Ports: ports})
	if _, err := fresh.Run(context.Background(), exp); err != nil {
		t.Fatalf("import export: %v\n%s", err, exp)
	}
	if body(fresh.Export()) != body(exp) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", exp, fresh.Export())
	}
	c, _, err := fresh.Command(context.Background(), "/ip/firewall/nat/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := c[1].Get("comment"); !strings.HasPrefix(v, "port \"forward\" $HOME \\ tab\there") {
		t.Errorf("comment after round trip = %q", v)
	}
}

func TestRejections(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{"/ip address add address=10.0.0.1/24 interface=ether9", "input does not match any value of interface (line 1 column 37)"},
		{"/ip address add address=10.0.0.300/24 interface=ether1", "invalid value for argument address (line 1 column 17)"},
		{"/ip address add interface=ether1", "failure: address not specified (line 1 column 1)"},
		{"/ip firewall filter add chain=input action=drop\n/ip firewall filter add chain=input action=frob", "invalid value for argument action (line 2 column 37)"},
		{"/ip firewall nat add chain=srcnat action=fasttrack-connection", "invalid value for argument action (line 1 column 35)"},
		{"/ip firewall filter add chain=input dst-port=80", "failure: dst-port can be used only with protocol tcp, udp, udp-lite, sctp or dccp (line 1 column 37)"},
		{"/ip firewall filter add chain=input protocol=tcp dst-port=80-70", "invalid value for argument dst-port (line 1 column 50)"},
		{"/ip firewall filter add chain=input protocol=bogus", "invalid value for argument protocol (line 1 column 37)"},
		{"/ip firewall filter add chain=input in-interface-list=NOPE", "input does not match any value of in-interface-list (line 1 column 37)"},
		{"/ip firewall filter add chain=input connection-state=established,bogus", "invalid value for argument connection-state (line 1 column 37)"},
		{"/ip firewall filter add chain=input action=jump", "failure: jump-target must be specified for action=jump (line 1 column 1)"},
		{"/ip firewall filter add chain=input src-address=1.2.3.4/33", "invalid value for argument src-address (line 1 column 37)"},
		{"/ip firewall nat add chain=dstnat foo=bar", "expected end of command (line 1 column 35)"},
		{"/ip firewall mangle add chain=prerouting action=drop", "invalid value for argument action (line 1 column 42)"},
		{"/ip firewall mangle add chain=prerouting action=mark-routing", "failure: new-routing-mark must be specified for action=mark-routing (line 1 column 1)"},
		{"/ip firewall mangle add chain=prerouting action=mark-routing new-routing-mark=nope", "input does not match any value of new-routing-mark (line 1 column 62)"},
		{"/ip firewall raw add chain=prerouting per-connection-classifier=both-addresses:0/0", "invalid value for argument per-connection-classifier (line 1 column 39)"},
		{"/ip firewall raw add chain=prerouting per-connection-classifier=both-addresses:2/4294967296", "invalid value for argument per-connection-classifier (line 1 column 39)"},
		{"/interface list remove all", "failure: cannot remove builtin (line 1 column 1)"},
		{"/interface list remove WAN", "failure: interface list WAN is used by interface list member *B (line 1 column 1)"},
		{"/interface list member add list=NOPE interface=ether1", "input does not match any value of list (line 1 column 28)"},
		{"/ip firewall filter remove 0", "failure: cannot remove builtin (line 1 column 1)"},
		{"/ip firewall filter move 0 5", "cannot move builtin (line 1 column 1)"},
		{"/ip firewall filter set 99 comment=x", "no such item (line 1 column 1)"},
		{"/ip firewall address-list add list=l address=10.0.0.0/8\n/ip firewall address-list add list=l address=10.1.2.3/8", "failure: already have such entry (line 2 column 38)"},
		{"/ip route add gateway=203.0.113.1 distance=300", "invalid value for argument distance (line 1 column 35)"},
		{"/system identity set name=\"\"", "invalid value for argument name (line 1 column 22)"},
		{"/ip firewall nat add chain=srcnat action=masquerade\n:put (1", "syntax error (line 2 column 8)"},
	}
	for _, tt := range tests {
		r := hairpin(t)
		before := body(r.Export())
		beforeState := r.State()
		_, err := r.Run(context.Background(), tt.src)
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != tt.wantErr {
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
			continue
		}
		if after := body(r.Export()); after != before {
			t.Errorf("%q changed the model:\n%s", tt.src, after)
		}
		if len(r.State().Filter) != len(beforeState.Filter) || len(r.State().NAT) != len(beforeState.NAT) {
			t.Errorf("%q changed the state", tt.src)
		}
	}
}

func TestFindSetRemove(t *testing.T) {
	r := hairpin(t)
	run(t, r, `/ip firewall filter set [find where comment="defconf: drop invalid" and chain=input] disabled=yes`)
	out := run(t, r, `:put [/ip firewall filter get [find comment="defconf: drop invalid" and chain=input] disabled]`)
	if out != "true\n" {
		t.Errorf("get disabled = %q", out)
	}
	if s := r.State(); s.Filter[1].Props["disabled"] != "yes" {
		t.Errorf("state of disabled rule = %v", s.Filter[1].Props)
	}
	run(t, r, `/ip firewall filter remove [find comment~"defconf: accept"]`)
	if got := run(t, r, `/ip firewall filter print count-only`); got != "6\n" {
		t.Errorf("count after remove = %q", got)
	}
	run(t, r, "/interface ethernet set [find default-name=ether1] comment=uplink")
	if got := run(t, r, ":put [/interface get ether1 comment]"); got != "uplink\n" {
		t.Errorf("ether1 comment = %q", got)
	}
	// Console numbers follow print order, the dummy rule at 0 included.
	run(t, r, "/ip firewall filter set 1 comment=first")
	if got := run(t, r, `:put [/ip firewall filter get [find comment=first] chain]`); got != "input\n" {
		t.Errorf("rule 1 chain = %q", got)
	}
	// Removing every fasttrack rule removes the dummy rule.
	run(t, r, `/ip firewall filter remove [find action=fasttrack-connection]`)
	if strings.Contains(run(t, r, "/ip firewall filter print"), dummyNote) {
		t.Error("dummy rule without fasttrack rule")
	}
}

func TestPlaceBeforeAndMove(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip firewall nat\nadd chain=srcnat action=masquerade comment=a\nadd chain=srcnat action=masquerade comment=b")
	run(t, r, "/ip firewall nat add chain=dstnat action=accept comment=c place-before=[find comment=b]")
	run(t, r, "/ip firewall nat add chain=dstnat action=accept comment=d place-before=0")
	order := func() string {
		var cs []string
		for _, ru := range r.State().NAT {
			cs = append(cs, ru.Props["comment"])
		}
		return strings.Join(cs, "")
	}
	if got := order(); got != "dacb" {
		t.Errorf("order after place-before = %s", got)
	}
	run(t, r, "/ip firewall nat move [find comment=d] [find comment=b]")
	if got := order(); got != "acdb" {
		t.Errorf("order after move = %s", got)
	}
	if _, _, err := r.Command(context.Background(), "/ip/firewall/nat/add", map[string]string{"chain": "x", "place-before": "*FFFF"}); err == nil {
		t.Error("place-before a missing id accepted")
	}
}

func TestAddressList(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall address-list
add list=l address=203.0.113.77/24
add list=l address=192.168.0.0-192.168.1.255
add list=l address=10.0.0.1-10.0.0.5
add list=l address=203.0.113.1-254
add list=l address=198.51.100.9/32
add list=t address=1.1.1.1 timeout=1h`)
	rows, _, err := r.Command(context.Background(), "/ip/firewall/address-list/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows {
		a, _ := row.Get("address")
		d, _ := row.Get("dynamic")
		got = append(got, a+"/"+d)
	}
	want := "203.0.113.0/24/false 192.168.0.0/23/false 10.0.0.1-10.0.0.5/false 203.0.113.1-254/false 198.51.100.9/false 1.1.1.1/true"
	if strings.Join(got, " ") != want {
		t.Errorf("addresses = %s", strings.Join(got, " "))
	}
	s := r.State()
	if len(s.AddressLists["l"]) != 4 {
		t.Errorf("state list l = %+v (DNS names must be left out)", s.AddressLists["l"])
	}
	if e := s.AddressLists["l"][2]; e.From != netip.MustParseAddr("10.0.0.1") || e.To != netip.MustParseAddr("10.0.0.5") {
		t.Errorf("range entry = %+v", e)
	}
	if strings.Contains(r.Export(), "1.1.1.1") {
		t.Error("dynamic entry exported")
	}
	if _, err := r.Run(context.Background(), "/ip firewall address-list add list=l address=203.0.113.0/24"); err == nil || !strings.Contains(err.Error(), "already have such entry") {
		t.Errorf("duplicate accepted: %v", err)
	}
}

func TestFasttrackDummy(t *testing.T) {
	r := hairpin(t)
	rows, _, err := r.Command(context.Background(), "/ip/firewall/filter/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 12 {
		t.Fatalf("%d rows", len(rows))
	}
	if c, _ := rows[0].Get("comment"); c != dummyNote {
		t.Errorf("row 0 comment = %q", c)
	}
	if d, _ := rows[0].Get("dynamic"); d != "true" {
		t.Errorf("row 0 dynamic = %q", d)
	}
	if a, _ := rows[0].Get("action"); a != "passthrough" {
		t.Errorf("row 0 action = %q", a)
	}
	id, _ := rows[0].Get(".id")
	if _, _, err := r.Command(context.Background(), "/ip/firewall/filter/remove", map[string]string{".id": id}); err == nil {
		t.Error("dummy removed")
	}
	if len(r.State().Filter) != 11 {
		t.Error("dummy rule reached the kernel state")
	}
}

type fakeKernel struct {
	fail  error
	calls int
	last  *kernel.State
}

func (k *fakeKernel) Apply(s *kernel.State) error {
	k.calls++
	if k.fail != nil {
		return k.fail
	}
	k.last = s
	return nil
}

func TestKernelFailureRollsBack(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k})
	run(t, r, "/ip address add address=10.0.0.1/24 interface=ether1")
	if k.calls != 1 || len(k.last.Addresses) != 1 {
		t.Fatalf("kernel calls %d, state %+v", k.calls, k.last)
	}
	run(t, r, "/ip address print")
	if k.calls != 1 {
		t.Error("print applied the kernel state")
	}
	k.fail = errors.New("nft: no such table")
	if _, err := r.Run(context.Background(), "/ip address add address=10.0.1.1/24 interface=ether2"); err == nil || err.Error() != "failure: nft: no such table" {
		t.Fatalf("err = %v", err)
	}
	if len(r.State().Addresses) != 1 {
		t.Error("model kept a change the kernel refused")
	}
}

func TestAPICommands(t *testing.T) {
	ctx := context.Background()
	r := hairpin(t)
	_, ret, err := r.Command(ctx, "/ip/firewall/nat/add", map[string]string{"chain": "dstnat", "action": "dst-nat", "protocol": "tcp", "dst-port": "443", "to-addresses": "192.168.88.10"})
	if err != nil || !strings.HasPrefix(ret, "*") {
		t.Fatalf("add: %q %v", ret, err)
	}
	rows, _, err := r.Command(ctx, "/ip/firewall/nat/print", nil)
	if err != nil || len(rows) != 2 {
		t.Fatalf("print: %v %v", rows, err)
	}
	if rows[1][0].Name != ".id" || rows[1][0].Value != ret {
		t.Errorf("first prop = %+v", rows[1][0])
	}
	for k, want := range map[string]string{"log": "false", "disabled": "false", "bytes": "0", "dynamic": "false", "to-addresses": "192.168.88.10"} {
		if v, _ := rows[1].Get(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	if _, _, err := r.Command(ctx, "/ip/firewall/nat/set", map[string]string{".id": ret, "disabled": "true"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Command(ctx, "/ip/firewall/nat/remove", map[string]string{"numbers": ret}); err != nil {
		t.Fatal(err)
	}
	rows, _, _ = r.Command(ctx, "/system/identity/print", nil)
	if len(rows) != 1 || rows[0][0] != (Prop{"name", "router"}) {
		t.Errorf("identity = %v", rows)
	}
	rows, _, _ = r.Command(ctx, "/interface/print", nil)
	if len(rows) != 3 {
		t.Errorf("interfaces = %v", rows)
	}
	_, exp, err := r.Command(ctx, "/ip/firewall/nat/export", nil)
	if err != nil || !strings.Contains(exp, "/ip firewall nat\nadd action=masquerade") || strings.Contains(exp, "/ip address") {
		t.Errorf("export = %q %v", exp, err)
	}
	errs := []struct {
		path string
		args map[string]string
		want string
		cat  int
	}{
		{"/ip/frob/print", nil, "no such command or directory (frob)", 0},
		{"/ip/address/frob", nil, "no such command or directory (frob)", 0},
		{"/ip/address/set", map[string]string{".id": "*FFF", "comment": "x"}, "no such item (4)", 0},
		{"/ip/address/set", map[string]string{".id": "0", "comment": "x"}, "no such item (4)", 0},
		{"/ip/address/add", map[string]string{"address": "1.2.3.4/24", "interface": "ether1", "bogus": "1"}, "unknown parameter bogus", 1},
		{"/ip/address/add", map[string]string{"address": "nope", "interface": "ether1"}, "invalid value for argument address", 1},
		{"/ip/firewall/address-list/add", map[string]string{"list": "a", "address": "1.1.1.1"}, "", 0},
		{"/ip/firewall/address-list/add", map[string]string{"list": "a", "address": "1.1.1.1"}, "failure: already have such entry", 4},
	}
	for _, e := range errs {
		_, _, err := r.Command(ctx, e.path, e.args)
		if e.want == "" {
			if err != nil {
				t.Errorf("%s: %v", e.path, err)
			}
			continue
		}
		var ce *Error
		if !errors.As(err, &ce) || ce.Msg != e.want || ce.Category != e.cat || ce.Line != 0 {
			t.Errorf("%s %v: error %#v, want %q category %d", e.path, e.args, err, e.want, e.cat)
		}
	}
}

func TestConsolePrint(t *testing.T) {
	r := hairpin(t)
	out := run(t, r, "/ip firewall filter print")
	if !strings.HasPrefix(out, "Flags: X - disabled, I - invalid; D - dynamic") || !strings.Contains(out, " 0 D  ;;; "+dummyNote) {
		t.Errorf("filter print:\n%s", out)
	}
	out = run(t, r, "/ip route print")
	if !strings.Contains(out, "DAc  192.168.88.0/24  ether2") {
		t.Errorf("route print:\n%s", out)
	}
	if got := run(t, r, "/ip firewall filter print count-only where chain=input and action=drop"); got != "2\n" {
		t.Errorf("count-only where = %q", got)
	}
	if got := run(t, r, ":put [/system identity get name]"); got != "router\n" {
		t.Errorf("identity = %q", got)
	}
}

// TestConcurrentUse runs console sources and API commands at the same time;
// run it with -race.
func TestConcurrentUse(t *testing.T) {
	r := hairpin(t)
	done := make(chan error, 2)
	go func() {
		for i := 0; i < 50; i++ {
			if _, err := r.Run(context.Background(), "/ip firewall address-list add list=c address=10.0.0."+strconv.Itoa(i)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	go func() {
		for i := 0; i < 50; i++ {
			if _, _, err := r.Command(context.Background(), "/ip/firewall/address-list/print", nil); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < 2; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.State().AddressLists["c"]); n != 50 {
		t.Errorf("%d entries", n)
	}
}
