package config

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

type recordingPPPoEServer struct {
	servers  [][]PPPoEServer
	sessions [][]string
}

func (f *recordingPPPoEServer) Update(s []PPPoEServer, ids []string) {
	f.servers = append(f.servers, s)
	f.sessions = append(f.sessions, ids)
}

const pppoeServerConfig = `/ip pool add name=subs ranges=10.77.0.10-10.77.0.11
/ip pool add name=overflow ranges=10.78.0.5
/ip pool set subs next-pool=overflow
/interface list add name=LAN
/interface list add name=TRUSTED include=LAN
/interface list add name=OTHERS include=all exclude=LAN
/ppp profile add name=subs local-address=10.77.0.1 remote-address=subs dns-server=192.0.2.53,192.0.2.54 address-list=pppoe-users interface-list=LAN only-one=yes
/ppp secret add name=alice password=a1 profile=subs service=pppoe
/ppp secret add name=bob password=b2 profile=subs remote-address=10.77.0.99
/ppp secret add name=carol password=c3 profile=subs caller-id=02:00:00:00:00:0C
/ppp secret add name=dave password=d4 profile=subs service=l2tp
/ppp secret add name=erin password=e5 profile=subs disabled=yes
/ppp secret add name=fred password=f6 profile=subs
/ppp secret add name=gus password=g7 profile=subs
/interface pppoe-server add name=pppoe-bob user=bob
/interface pppoe-server server add interface=ether2 service-name=home default-profile=subs disabled=no
/ip firewall filter add chain=input in-interface=all-ppp action=accept
`

// TestPPPoEServerLogin: the engine's decisions at login follow RouterOS's
// PPP AAA (secret, service, caller-id, layered profile, address before
// pool, pool chain, only-one), and an up session is an /ppp active entry,
// an interface, an address, a route and list memberships in the kernel's
// state; the controls are the logins refused and a session that ends.
func TestPPPoEServerLogin(t *testing.T) {
	svc := &recordingPPPoEServer{}
	r := New(Options{Ports: ports, Kernel: &fakeKernel{}, PPPoEServer: svc})
	run(t, r, pppoeServerConfig)
	srv := svc.servers[len(svc.servers)-1]
	if len(srv) != 1 || srv[0].Interface != "ether2" || srv[0].ServiceName != "home" || srv[0].Disabled || srv[0].Auth != "pap,chap,mschap1,mschap2" {
		t.Fatalf("service got %+v", srv)
	}
	id := srv[0].ID
	const mac = "02:00:00:00:00:0a"

	for _, c := range []struct{ user, pass, mac, why string }{
		{"alice", "wrong", mac, "authentication failed"},
		{"nobody", "x", mac, "authentication failed"},
		{"dave", "d4", mac, "authentication failed"}, // an L2TP-only secret
		{"erin", "e5", mac, "authentication failed"}, // disabled
		{"carol", "c3", mac, "caller-id"},            // from another MAC
	} {
		if _, err := r.PPPoELogin(id, c.user, knows(c.pass), c.mac); !errors.Is(err, ErrPPPLogin) || !strings.Contains(err.Error(), c.why) {
			t.Errorf("login %s/%s: %v, want refused (%s)", c.user, c.pass, err, c.why)
		}
	}
	if got := run(t, r, ":put [/ppp active print count-only]"); got != "0\n" {
		t.Errorf("refused logins left sessions: %q", got)
	}

	g, err := r.PPPoELogin(id, "alice", knows("a1"), mac)
	if err != nil {
		t.Fatal(err)
	}
	want := PPPGrant{ID: g.ID, Interface: "<pppoe-alice>", Local: netip.MustParseAddr("10.77.0.1"), Remote: netip.MustParseAddr("10.77.0.10"),
		DNS: []netip.Addr{netip.MustParseAddr("192.0.2.53"), netip.MustParseAddr("192.0.2.54")}}
	if g.Interface != want.Interface || g.Local != want.Local || g.Remote != want.Remote || !slices.Equal(g.DNS, want.DNS) {
		t.Fatalf("alice's grant = %+v, want %+v", g, want)
	}
	if _, err := r.PPPoELogin(id, "alice", knows("a1"), "02:00:00:00:00:0b"); err == nil || !strings.Contains(err.Error(), "only-one") {
		t.Errorf("second login of alice with only-one=yes: %v", err)
	}
	// Not up yet: nothing in the kernel.
	if st := r.State(); len(st.Addresses) != 0 {
		t.Errorf("a session not up has addresses %+v", st.Addresses)
	}
	if _, err := r.PPPoESessionUp(g.ID, 1480); err != nil {
		t.Fatal(err)
	}
	st := r.State()
	if !slices.Contains(st.Addresses, kernel.Address{Prefix: netip.MustParsePrefix("10.77.0.1/32"), Interface: "<pppoe-alice>"}) {
		t.Errorf("state addresses = %+v", st.Addresses)
	}
	if !slices.ContainsFunc(st.Routes, func(r kernel.Route) bool {
		return r.Dst == netip.MustParsePrefix("10.77.0.10/32") && r.Gateway == "<pppoe-alice>"
	}) {
		t.Errorf("state routes = %+v", st.Routes)
	}
	if !slices.Contains(st.InterfaceLists["LAN"], "<pppoe-alice>") || !slices.Contains(st.InterfaceLists["dynamic"], "<pppoe-alice>") {
		t.Errorf("interface lists = %v", st.InterfaceLists)
	}
	if !slices.Contains(st.InterfaceLists["all-ppp"], "<pppoe-alice>") {
		t.Errorf("all-ppp = %v", st.InterfaceLists["all-ppp"])
	}
	// A list including the profile's list holds the session too; one
	// including all but excluding it does not (its control).
	if !slices.Contains(st.InterfaceLists["TRUSTED"], "<pppoe-alice>") {
		t.Errorf("TRUSTED (include=LAN) = %v, want the session", st.InterfaceLists["TRUSTED"])
	}
	if o := st.InterfaceLists["OTHERS"]; slices.Contains(o, "<pppoe-alice>") || !slices.Contains(o, "ether1") {
		t.Errorf("OTHERS (include=all exclude=LAN) = %v, want ether1 and not the session", o)
	}
	if l := st.AddressLists["pppoe-users"]; len(l) != 1 {
		t.Errorf("address list pppoe-users = %+v", l)
	}
	if !slices.Contains(st.SessionLinks, "<pppoe-alice>") {
		t.Errorf("session links = %v", st.SessionLinks)
	}
	out := run(t, r, "/ppp active print")
	if !strings.Contains(out, "alice") || !strings.Contains(out, "pppoe") || !strings.Contains(out, "10.77.0.10") || !strings.Contains(out, "02:00:00:00:00:0A") {
		t.Errorf("/ppp active print:\n%s", out)
	}
	if got := run(t, r, ":put [/interface get [find name=\"<pppoe-alice>\"] type]"); got != "pppoe-in\n" {
		t.Errorf("session interface type = %q", got)
	}

	// bob: the secret's own address beats the profile's pool, and his
	// binding names the interface.
	gb, err := r.PPPoELogin(id, "bob", knows("b2"), "02:00:00:00:00:0b")
	if err != nil || gb.Remote != netip.MustParseAddr("10.77.0.99") || gb.Interface != "pppoe-bob" {
		t.Fatalf("bob: %+v, %v", gb, err)
	}
	// The pool has one address left, then its next pool one.
	gf, err := r.PPPoELogin(id, "fred", knows("f6"), "02:00:00:00:00:0d")
	if err != nil || gf.Remote != netip.MustParseAddr("10.77.0.11") {
		t.Fatalf("fred: %+v, %v", gf, err)
	}
	gg, err := r.PPPoELogin(id, "gus", knows("g7"), "02:00:00:00:00:0e")
	if err != nil || gg.Remote != netip.MustParseAddr("10.78.0.5") {
		t.Fatalf("gus: %+v, %v", gg, err)
	}
	run(t, r, "/ppp secret add name=hal password=h8 profile=subs")
	if _, err := r.PPPoELogin(id, "hal", knows("h8"), "02:00:00:00:00:0f"); err == nil || !strings.Contains(err.Error(), "exhausted") {
		t.Errorf("login with both pools used: %v", err)
	}

	// Ending alice's session takes everything of hers out of the state,
	// and frees her address for the next login.
	if s, ok := r.PPPoESessionDown(g.ID, ""); !ok || s.User != "alice" {
		t.Fatalf("down: %+v %v", s, ok)
	}
	st = r.State()
	if slices.ContainsFunc(st.Addresses, func(a kernel.Address) bool { return a.Interface == "<pppoe-alice>" }) || len(st.AddressLists["pppoe-users"]) != 0 {
		t.Errorf("after the session ended: addresses %+v, list %+v", st.Addresses, st.AddressLists["pppoe-users"])
	}
	if g2, err := r.PPPoELogin(id, "alice", knows("a1"), mac); err != nil || g2.Remote != netip.MustParseAddr("10.77.0.10") {
		t.Errorf("alice again: %+v, %v", g2, err)
	}

	// /ppp active remove takes a session out and tells the service, and
	// the log says so once that is committed: a script that fails after
	// the remove keeps the session and writes nothing.
	if _, err := r.PPPoESessionUp(gf.ID, 1480); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), "/ppp active remove [find name=fred]; :error \"stop\""); err == nil {
		t.Fatal("the failing script succeeded")
	}
	if n := run(t, r, ":put [/ppp active print count-only where name=fred]"); n != "1\n" {
		t.Errorf("fred's sessions after the failed removal: %q", n)
	}
	for _, e := range r.Log() {
		if strings.Contains(e.Msg, "pppoe-fred>: terminating") || strings.Contains(e.Msg, "fred logged out") {
			t.Errorf("the failed removal logged %q", e.Msg)
		}
	}
	run(t, r, "/ppp active remove [find name=fred]")
	ids := svc.sessions[len(svc.sessions)-1]
	if slices.Contains(ids, gf.ID) || !slices.Contains(ids, gg.ID) {
		t.Errorf("service's sessions after remove = %v (fred %s, gus %s)", ids, gf.ID, gg.ID)
	}
	if _, ok := r.PPPoESessionDown(gf.ID, ""); ok {
		t.Error("a removed session ended twice")
	}

	logs := ""
	for _, e := range r.Log() {
		logs += e.Topics + " " + e.Msg + "\n"
	}
	for _, w := range []string{"alice logged in, 10.77.0.10 from 02:00:00:00:00:0A", "<pppoe-alice>: disconnected", "user carol authentication failed",
		"<pppoe-fred>: terminating... - disconnected by admin"} {
		if !strings.Contains(logs, w) {
			t.Errorf("log lacks %q:\n%s", w, logs)
		}
	}
}

// TestPPPoEServerLimits: one-session-per-host ends the host's older
// session; max-sessions refuses the one over the bound; a server's
// authentication reaches the service and, being enforced, is not reported.
func TestPPPoEServerLimits(t *testing.T) {
	svc := &recordingPPPoEServer{}
	r := New(Options{Ports: ports, Kernel: &fakeKernel{}, PPPoEServer: svc})
	run(t, r, pppoeServerConfig+"/interface pppoe-server server set [find] one-session-per-host=yes max-sessions=2\n")
	id := svc.servers[len(svc.servers)-1][0].ID
	ga, err := r.PPPoELogin(id, "alice", knows("a1"), "02:00:00:00:00:0a")
	if err != nil {
		t.Fatal(err)
	}
	gf, err := r.PPPoELogin(id, "fred", knows("f6"), "02:00:00:00:00:0a") // the same host
	if err != nil {
		t.Fatal(err)
	}
	ids := svc.sessions[len(svc.sessions)-1]
	if slices.Contains(ids, ga.ID) || !slices.Contains(ids, gf.ID) {
		t.Errorf("one-session-per-host: sessions %v (alice %s, fred %s)", ids, ga.ID, gf.ID)
	}
	if _, err := r.PPPoELogin(id, "gus", knows("g7"), "02:00:00:00:00:0e"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.PPPoELogin(id, "bob", knows("b2"), "02:00:00:00:00:0b"); err == nil || !strings.Contains(err.Error(), "max-sessions") {
		t.Errorf("third session with max-sessions=2: %v", err)
	}
	run(t, r, "/interface pppoe-server server set [find] authentication=mschap2")
	if s := svc.servers[len(svc.servers)-1]; s[0].Auth != "mschap2" {
		t.Errorf("authentication=mschap2 reached the service as %q", s[0].Auth)
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/interface pppoe-server server" && n.Property == "authentication" {
			t.Errorf("authentication is enforced, yet reported: %+v", n)
		}
	}
}

// knows is the proof of a client that sent password: the comparison a PAP
// login makes (the CHAP proofs are the pppoe package's, tested there).
func knows(password string) func(string) bool {
	return func(secret string) bool { return secret == password }
}
