package config

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// fakeConntrack is a test double of the kernel side: a table the test
// writes and the removals the engine asked for.
type fakeConntrack struct {
	conns   []kernel.Conn
	sysctls map[string]string
	removed []uint32
	err     error
}

func (f *fakeConntrack) Connections() ([]kernel.Conn, error) { return f.conns, f.err }
func (f *fakeConntrack) ConntrackCount() (int, error)        { return len(f.conns) + 3, f.err }
func (f *fakeConntrack) ConntrackSysctls() (map[string]string, error) {
	return f.sysctls, f.err
}
func (f *fakeConntrack) RemoveConnection(id uint32) error {
	f.removed = append(f.removed, id)
	kept := f.conns[:0]
	for _, c := range f.conns {
		if c.ID != id {
			kept = append(kept, c)
		}
	}
	f.conns = kept
	return nil
}

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// hairpinConns are the entries of the forum's hairpin: a LAN client
// reaching the server through the WAN address (src- and dst-natted), an
// unanswered UDP packet, and a ping.
func hairpinConns() []kernel.Conn {
	return []kernel.Conn{
		{ID: 0x1a2b, Protocol: "tcp", Src: ap("192.168.88.20:40000"), Dst: ap("203.0.113.2:12566"),
			ReplySrc: ap("192.168.88.10:12566"), ReplyDst: ap("192.168.88.1:40000"), State: "established",
			Timeout: 23*time.Hour + 59*time.Minute + 58*time.Second, SeenReply: true, Assured: true, Confirmed: true,
			SrcNAT: true, DstNAT: true, Counted: true, OrigPackets: 6, OrigBytes: 400, ReplyPackets: 4, ReplyBytes: 300},
		{ID: 0x3c, Protocol: "udp", Src: ap("192.168.88.20:5353"), Dst: ap("198.51.100.53:53"),
			ReplySrc: ap("198.51.100.53:53"), ReplyDst: ap("203.0.113.2:5353"), Timeout: 8 * time.Second,
			Confirmed: true, SrcNAT: true},
		{ID: 0x4d, Protocol: "icmp", Src: ap("192.168.88.20:0"), Dst: ap("192.168.88.1:0"),
			ReplySrc: ap("192.168.88.1:0"), ReplyDst: ap("192.168.88.20:0"), Timeout: 9 * time.Second,
			SeenReply: true, Confirmed: true},
	}
}

func TestConnectionPrintAPI(t *testing.T) {
	f := &fakeConntrack{conns: hairpinConns()}
	r := New(Options{Ports: ports, Conntrack: f})
	rows, _, err := r.Command(context.Background(), "/ip/firewall/connection/print", nil)
	if err != nil || len(rows) != 3 {
		t.Fatalf("print: %v, %v", rows, err)
	}
	want := map[string]string{
		".id": "*1A2B", "protocol": "tcp", "src-address": "192.168.88.20:40000", "dst-address": "203.0.113.2:12566",
		"reply-src-address": "192.168.88.10:12566", "reply-dst-address": "192.168.88.1:40000", "tcp-state": "established",
		"timeout": "23h59m58s", "orig-packets": "6", "orig-bytes": "400", "repl-packets": "4", "repl-bytes": "300",
		"seen-reply": "true", "assured": "true", "confirmed": "true", "srcnat": "true", "dstnat": "true",
		"expected": "false", "dying": "false", "fasttrack": "false",
	}
	for k, v := range want {
		if got, ok := rows[0].Get(k); !ok || got != v {
			t.Errorf("tcp row %s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if rows[0][0].Name != ".id" {
		t.Errorf("first property %q, want .id", rows[0][0].Name)
	}
	// Ports only for port-based protocols; tcp-state and the counters
	// only where the entry has them.
	if v, _ := rows[2].Get("src-address"); v != "192.168.88.20" {
		t.Errorf("icmp src-address = %q, want no port", v)
	}
	for _, k := range []string{"tcp-state", "orig-bytes"} {
		if v, ok := rows[1].Get(k); ok {
			t.Errorf("udp row has %s=%q", k, v)
		}
	}
	if v, _ := rows[1].Get("assured"); v != "false" {
		t.Errorf("udp assured = %q, want false", v)
	}
	// The API server counts itself; the engine's count-only agrees.
	_, ret, err := r.Command(context.Background(), "/ip/firewall/connection/print", map[string]string{"count-only": ""})
	if err != nil || ret != "3" {
		t.Errorf("count-only = %q, %v", ret, err)
	}
	// Nothing of the table reaches the model or the export.
	if strings.Contains(r.Export(), "connection") || len(r.State().AddressLists) != 0 {
		t.Errorf("export shows connections:\n%s", r.Export())
	}
}

func TestConnectionConsole(t *testing.T) {
	f := &fakeConntrack{conns: hairpinConns()}
	r := New(Options{Ports: ports, Conntrack: f})
	out := run(t, r, "/ip firewall connection print")
	lines := strings.Split(out, "\n")
	if lines[0] != "Flags: S - SEEN-REPLY; A - ASSURED; C - CONFIRMED; s - SRCNAT; d - DSTNAT" {
		t.Errorf("flags line %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "Columns: PROTOCOL, SRC-ADDRESS, DST-ADDRESS, TCP-STATE, TIMEOUT, ORIG-PACKETS") {
		t.Errorf("columns line %q", lines[1])
	}
	for i, want := range []string{"0 SACsd  tcp", "1 Cs     udp", "2 SC     icmp      192.168.88.20        192.168.88.1                    9s"} {
		if !strings.HasPrefix(strings.TrimLeft(lines[3+i], " "), want) {
			t.Errorf("row %d = %q, want prefix %q\n%s", i, lines[3+i], want, out)
		}
	}
	// where keeps the console numbers of the whole table; the legend
	// shows only the flags of the printed rows.
	out = run(t, r, "/ip firewall connection print where protocol=udp")
	if !strings.HasPrefix(out, "Flags: C - CONFIRMED; s - SRCNAT\n") || !strings.Contains(out, "\n1 Cs  udp") || strings.Contains(out, "tcp") || strings.Contains(out, "TCP-STATE") {
		t.Errorf("print where protocol=udp:\n%s", out)
	}
	for src, want := range map[string]string{
		"/ip firewall connection print count-only":                             "3\n",
		"/ip firewall connection print count-only where srcnat":                "2\n",
		"/ip firewall connection print count-only where assured and dstnat":    "1\n",
		"/ip firewall connection print count-only where !seen-reply":           "1\n",
		"/ip firewall connection print count-only where timeout<10s":           "2\n",
		`/ip firewall connection print count-only where dst-address~":53\$"`:   "1\n",
		":put [/ip firewall connection get [find where protocol=tcp] timeout]": "23:59:58\n",
		":put [/ip firewall connection get *3C reply-dst-address]":             "203.0.113.2:5353\n",
		":put [:len [/ip firewall connection find]]":                           "3\n",
	} {
		if got := run(t, r, src); got != want {
			t.Errorf("%s = %q, want %q", src, got, want)
		}
	}
	out = run(t, r, "/ip firewall connection print detail where protocol=tcp")
	if !strings.Contains(out, " 0 SACsd protocol=tcp src-address=192.168.88.20:40000 dst-address=203.0.113.2:12566 reply-src-address=192.168.88.10:12566") {
		t.Errorf("print detail:\n%s", out)
	}
}

func TestConnectionEmptyAndErrors(t *testing.T) {
	// Without a kernel the table is empty, and nothing can be removed.
	r := New(Options{Ports: ports})
	if got := run(t, r, "/ip firewall connection print count-only"); got != "0\n" {
		t.Errorf("count-only without a kernel = %q", got)
	}
	rows, _, err := r.Command(context.Background(), "/ip/firewall/connection/print", nil)
	if err != nil || len(rows) != 0 {
		t.Errorf("print without a kernel: %v, %v", rows, err)
	}
	_, _, err = r.Command(context.Background(), "/ip/firewall/connection/remove", map[string]string{".id": "*1"})
	var ce *Error
	if !errors.As(err, &ce) || ce.Msg != "no such item (4)" {
		t.Errorf("remove from an empty table: %v", err)
	}
	// A failing kernel fails the print instead of showing an empty table.
	f := &fakeConntrack{err: errors.New("dump the conntrack table over ctnetlink: permission denied")}
	r = New(Options{Ports: ports, Conntrack: f})
	if _, err := r.Run(context.Background(), "/ip firewall connection print"); err == nil || !strings.Contains(err.Error(), "failure: dump the conntrack table") {
		t.Errorf("print with a failing kernel: %v", err)
	}
	// The menu is read-only: no add or set.
	for _, src := range []string{"/ip firewall connection add protocol=tcp", "/ip firewall connection set 0 timeout=1s"} {
		if _, err := r.Run(context.Background(), src); err == nil {
			t.Errorf("%s accepted", src)
		}
	}
}

func TestConnectionRemove(t *testing.T) {
	f := &fakeConntrack{conns: hairpinConns()}
	r := New(Options{Ports: ports, Conntrack: f})
	// A bad reference among good ones removes nothing.
	if _, err := r.Run(context.Background(), "/ip firewall connection remove 0,7"); err == nil || !strings.Contains(err.Error(), "no such item") {
		t.Errorf("remove 0,7: %v", err)
	}
	if len(f.removed) != 0 {
		t.Fatalf("removed %v after a failed remove", f.removed)
	}
	// A find that matches nothing removes nothing and is no error.
	run(t, r, `/ip firewall connection remove [find where dst-address~"^192.0.2.99"]`)
	if len(f.removed) != 0 {
		t.Fatalf("removed %v for an empty find", f.removed)
	}
	run(t, r, "/ip firewall connection remove [find where srcnat]")
	if len(f.removed) != 2 || f.removed[0] != 0x1a2b || f.removed[1] != 0x3c {
		t.Errorf("removed %x, want 1a2b and 3c", f.removed)
	}
	if _, _, err := r.Command(context.Background(), "/ip/firewall/connection/remove", map[string]string{".id": "*4D"}); err != nil {
		t.Errorf("API remove *4D: %v", err)
	}
	// Console numbers are not ids over the API.
	f.conns = hairpinConns()
	if _, _, err := r.Command(context.Background(), "/ip/firewall/connection/remove", map[string]string{".id": "0"}); err == nil {
		t.Error("API remove by console number accepted")
	}
	if got := run(t, r, "/ip firewall connection print count-only"); got != "3\n" {
		t.Errorf("count after the refused removes = %q", got)
	}
}

// max-entries is read-only in RouterOS (it follows the RAM); a set is
// refused whatever capacity the data plane reports.
func TestTrackingMaxEntriesReadOnly(t *testing.T) {
	f := &fakeConntrack{sysctls: map[string]string{"max": "200"}}
	r := New(Options{Ports: ports, Conntrack: f})
	if _, err := r.Run(context.Background(), "/ip firewall connection tracking set max-entries=100"); err == nil {
		t.Error("set max-entries=100 accepted")
	}
	rows, _, err := r.Command(context.Background(), "/ip/firewall/connection/tracking/print", nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("print: %v, %v", rows, err)
	}
	if v, _ := rows[0].Get("max-entries"); v != "200" {
		t.Errorf("max-entries %q, want the data plane's 200", v)
	}
}

func TestConnectionTracking(t *testing.T) {
	f := &fakeConntrack{conns: hairpinConns(), sysctls: map[string]string{
		"tcp_timeout_established": "432000", "udp_timeout": "30", "udp_timeout_stream": "120",
		"tcp_loose": "1", "tcp_be_liberal": "0", "max": "262144", "count": "6",
	}}
	r := New(Options{Ports: ports, Conntrack: f})
	rows, _, err := r.Command(context.Background(), "/ip/firewall/connection/tracking/print", nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("print: %v, %v", rows, err)
	}
	// The TCP and UDP timeouts are the kernel's policies, RouterOS's
	// values (not the namespace's Linux sysctls); the others the kernel's
	// where the sysctl exists, RouterOS defaults elsewhere.
	for k, v := range map[string]string{
		"enabled": "auto", "tcp-established-timeout": "1d", "udp-timeout": "10s", "udp-stream-timeout": "3m",
		"tcp-syn-sent-timeout": "5s", "generic-timeout": "10m", "loose-tcp-tracking": "true",
		"liberal-tcp-tracking": "false", "max-entries": "262144", "total-entries": "6",
	} {
		if got, ok := rows[0].Get(k); !ok || got != v {
			t.Errorf("%s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if _, ok := rows[0].Get(".id"); ok {
		t.Error("the settings row has an .id")
	}
	out := run(t, r, "/ip firewall connection tracking print")
	if !strings.Contains(out, "\n   tcp-established-timeout: 1d\n") || !strings.Contains(out, "\n        loose-tcp-tracking: yes\n") {
		t.Errorf("console print:\n%s", out)
	}
	if got := run(t, r, ":put [/ip firewall connection tracking get tcp-established-timeout]"); got != "1d00:00:00\n" {
		t.Errorf("get tcp-established-timeout = %q", got)
	}
	if k := r.State().Tracking; k == nil || k.Off || k.UDP["unreplied"] != 10 || k.UDP["replied"] != 180 || k.TCP["established"] != 86400 || k.TCP["unack"] != 300 {
		t.Errorf("kernel tracking with no setting = %+v, want RouterOS's defaults", k)
	}
	// A change is stored, exported and given to the kernel; icmp-timeout,
	// which nftables has no policy for, is reported as not enforced.
	// udp-timeout given at its default is kept, as RouterBOARD exports
	// write "set udp-timeout=10s" (TestExportKeepsGivenSettings).
	run(t, r, "/ip firewall connection tracking set enabled=auto loose-tcp-tracking=yes")
	if strings.Contains(r.Export(), "tracking") {
		t.Errorf("export shows default tracking settings:\n%s", r.Export())
	}
	run(t, r, "/ip firewall connection tracking set udp-timeout=1m enabled=yes")
	if _, _, err = r.Command(context.Background(), "/ip/firewall/connection/tracking/set", map[string]string{"tcp-established-timeout": "12h"}); err != nil {
		t.Errorf("API set tcp-established-timeout=12h: %v", err)
	}
	run(t, r, "/ip firewall connection tracking set icmp-timeout=5s")
	if got := run(t, r, ":put [/ip firewall connection tracking get tcp-established-timeout]"); got != "12:00:00\n" {
		t.Errorf("get tcp-established-timeout after set = %q, want 12:00:00", got)
	}
	if k := r.State().Tracking; k == nil || k.Off || k.UDP["unreplied"] != 60 || k.TCP["established"] != 43200 {
		t.Errorf("kernel tracking after set = %+v, want udp unreplied 60, tcp established 43200", k)
	}
	if exp := r.Export(); !strings.Contains(exp, "/ip firewall connection tracking\nset enabled=yes icmp-timeout=5s tcp-established-timeout=12h udp-timeout=1m\n") {
		t.Errorf("export:\n%s", exp)
	}
	ne := map[string]bool{}
	for _, n := range r.NotEnforced() {
		if n.Path == "/ip firewall connection tracking" {
			ne[n.Property] = true
		}
	}
	// icmp-timeout is enforced through the namespace's sysctl (D9).
	if ne["udp-timeout"] || ne["enabled"] || ne["tcp-established-timeout"] || ne["icmp-timeout"] || ne["loose-tcp-tracking"] {
		t.Errorf("not enforced: %v, want none", ne)
	}
	if k := r.State().Tracking; k.ICMP != 5 || k.Generic != 600 {
		t.Errorf("kernel icmp %d generic %d, want 5 and RouterOS's 600", k.ICMP, k.Generic)
	}
	run(t, r, "/ip firewall connection tracking set enabled=no")
	if k := r.State().Tracking; k == nil || !k.Off {
		t.Errorf("kernel tracking after enabled=no = %+v, want off", k)
	}
	if _, err := r.Run(context.Background(), "/ip firewall connection tracking set udp-timeout=soon"); err == nil {
		t.Error("udp-timeout=soon accepted")
	}

	// Without a kernel: RouterOS's defaults and a nominal max-entries, so
	// that a case reading it loads offline as it runs (D1).
	r = New(Options{Ports: ports})
	rows, _, _ = r.Command(context.Background(), "/ip/firewall/connection/tracking/print", nil)
	if v, _ := rows[0].Get("tcp-established-timeout"); v != "1d" {
		t.Errorf("default tcp-established-timeout = %q", v)
	}
	if v, ok := rows[0].Get("max-entries"); !ok || v != "262144" {
		t.Errorf("max-entries %q (present %v) without a kernel, want the nominal 262144", v, ok)
	}
	if got := run(t, r, ":put [/ip firewall connection tracking get max-entries]"); got != "262144\n" {
		t.Errorf("get max-entries without a kernel = %q", got)
	}
}

// TestConnectionMark: the connection list carries each entry's connection
// mark (Connection tracking page: "connection-mark ... Connection mark
// that was set by the mangle rule"), the forum's first look when a PCC or
// queue setup "does not mark". A where-clause on it found nothing, and get
// refused the name. Control: the unmarked entries do not match, and their
// mark reads empty.
func TestConnectionMark(t *testing.T) {
	conns := hairpinConns()
	conns[1].ConnectionMark = "up_conn"
	r := New(Options{Ports: ports, Conntrack: &fakeConntrack{conns: conns}})
	if got := run(t, r, "/ip firewall connection print count-only where connection-mark=up_conn"); got != "1\n" {
		t.Errorf("count of connection-mark=up_conn = %q, want 1", got)
	}
	if got := run(t, r, ":put [/ip firewall connection get [find where connection-mark=up_conn] dst-address]"); got != "198.51.100.53:53\n" {
		t.Errorf("the marked entry's dst-address = %q", got)
	}
	if got := run(t, r, ":put [/ip firewall connection get [find where protocol=icmp] connection-mark]"); got != "\n" {
		t.Errorf("an unmarked entry's connection-mark = %q, want empty", got)
	}
	rows, _, err := r.Command(context.Background(), "/ip/firewall/connection/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rows[1].Get("connection-mark"); v != "up_conn" {
		t.Errorf("API row connection-mark = %q", v)
	}
	if v, ok := rows[0].Get("connection-mark"); ok {
		t.Errorf("an unmarked API row has connection-mark=%q", v)
	}
}

// The console table of /ip firewall connection print is pinned byte for
// byte: the console number right-aligned under #, the flag letters, the
// columns some printed row has a value in, two spaces apart, trailing
// spaces trimmed.
func TestConnectionPrintTable(t *testing.T) {
	r := New(Options{Ports: ports, Conntrack: &fakeConntrack{conns: hairpinConns()}})
	want := "Flags: S - SEEN-REPLY; A - ASSURED; C - CONFIRMED; s - SRCNAT; d - DSTNAT\n" +
		"Columns: PROTOCOL, SRC-ADDRESS, DST-ADDRESS, TCP-STATE, TIMEOUT, ORIG-PACKETS, REPL-PACKETS, ORIG-BYTES, REPL-BYTES\n" +
		"#        PROTOCOL  SRC-ADDRESS          DST-ADDRESS        TCP-STATE    TIMEOUT    ORIG-PACKETS  REPL-PACKETS  ORIG-BYTES  REPL-BYTES\n" +
		"0 SACsd  tcp       192.168.88.20:40000  203.0.113.2:12566  established  23h59m58s  6             4             400         300\n" +
		"1 Cs     udp       192.168.88.20:5353   198.51.100.53:53                8s\n" +
		"2 SC     icmp      192.168.88.20        192.168.88.1                    9s\n"
	if out := run(t, r, "/ip firewall connection print"); out != want {
		t.Errorf("print:\n%s\nwant:\n%s", out, want)
	}
	want = "Columns: PROTOCOL, SRC-ADDRESS, DST-ADDRESS, TIMEOUT\n#   PROTOCOL  SRC-ADDRESS  DST-ADDRESS  TIMEOUT\n"
	if out := run(t, New(Options{Ports: ports}), "/ip firewall connection print"); out != want {
		t.Errorf("empty print:\n%q\nwant:\n%q", out, want)
	}
	// From the eleventh row on the numbers take two places, right-aligned.
	var conns []kernel.Conn
	for i := range 11 {
		conns = append(conns, kernel.Conn{ID: uint32(i + 1), Protocol: "udp", Src: ap(fmt.Sprintf("192.0.2.%d:5353", i)), Dst: ap("198.51.100.53:53"), Timeout: 8 * time.Second, Confirmed: true})
	}
	r = New(Options{Ports: ports, Conntrack: &fakeConntrack{conns: conns}})
	out := run(t, r, "/ip firewall connection print")
	if want := "Flags: C - CONFIRMED\n" +
		"Columns: PROTOCOL, SRC-ADDRESS, DST-ADDRESS, TIMEOUT\n" +
		" #    PROTOCOL  SRC-ADDRESS      DST-ADDRESS       TIMEOUT\n" +
		" 0 C  udp       192.0.2.0:5353   198.51.100.53:53  8s\n"; !strings.HasPrefix(out, want) || !strings.HasSuffix(out, " 9 C  udp       192.0.2.9:5353   198.51.100.53:53  8s\n10 C  udp       192.0.2.10:5353  198.51.100.53:53  8s\n") {
		t.Errorf("eleven rows:\n%s", out)
	}
}

// TestTrackingAuto: enabled=auto tracks nothing until a firewall rule
// exists (Connection tracking page: "connection tracing is disabled until
// at least one firewall rule is added"), per family, and active-ipv4 /
// active-ipv6 say what it decided. Controls: enabled=yes tracks with no
// rule; a rule of one family leaves the other untracked.
func TestTrackingAuto(t *testing.T) {
	r := New(Options{Ports: ports})
	active := func() string {
		t.Helper()
		return strings.TrimSpace(run(t, r, ":put ([/ip firewall connection tracking get active-ipv4].\"/\".[/ip firewall connection tracking get active-ipv6])"))
	}
	if k := r.State().Tracking; !k.IdleIPv4 || !k.IdleIPv6 || k.Off {
		t.Errorf("auto with no rule: %+v, want both families idle", k)
	}
	if got := active(); got != "false/false" {
		t.Errorf("active with no rule = %q, want false/false", got)
	}
	run(t, r, "/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1")
	if k := r.State().Tracking; k.IdleIPv4 || !k.IdleIPv6 {
		t.Errorf("auto with an IPv4 nat rule: %+v, want IPv4 tracked, IPv6 idle", k)
	}
	if got := active(); got != "true/false" {
		t.Errorf("active with an IPv4 rule = %q, want true/false", got)
	}
	run(t, r, "/ipv6 firewall filter add chain=input action=accept")
	if k := r.State().Tracking; k.IdleIPv4 || k.IdleIPv6 {
		t.Errorf("auto with rules of both: %+v, want both tracked", k)
	}
	run(t, r, "/ip firewall nat remove [find]")
	run(t, r, "/ipv6 firewall filter remove [find]")
	run(t, r, "/ip firewall connection tracking set enabled=yes")
	if k := r.State().Tracking; k.IdleIPv4 || k.IdleIPv6 || k.Off {
		t.Errorf("enabled=yes with no rule: %+v, want tracked", k)
	}
	if got := active(); got != "true/true" {
		t.Errorf("active with enabled=yes = %q, want true/true", got)
	}
}

// TestTrackingTimeFormats (a control for D7: the stored value was already
// one form): a timeout written in clock form is the same duration as its
// unit form: set to the default as a v6 export writes
// it (generic-timeout=00:10:00) the menu stays at its defaults and exports
// nothing; another value exports in RouterOS's compact form. Control: 5m
// is not the default and is exported.
func TestTrackingTimeFormats(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip firewall connection tracking set generic-timeout=00:10:00 icmp-timeout=00:00:10")
	if exp := r.Export(); strings.Contains(exp, "tracking") {
		t.Errorf("defaults in clock form are exported:\n%s", exp)
	}
	run(t, r, "/ip firewall connection tracking set tcp-established-timeout=12:00:00 generic-timeout=5m")
	if exp := r.Export(); !strings.Contains(exp, "set generic-timeout=5m tcp-established-timeout=12h\n") {
		t.Errorf("export:\n%s", exp)
	}
}

// TestValidateDefaultInClockForm: validate reports a not-enforced property
// set to its default as accepted however the duration is written (D7: a
// v6 export's 00:04:20 was stored-not-enforced where 4m20s was accepted).
// Control: another value stays stored-not-enforced.
func TestValidateDefaultInClockForm(t *testing.T) {
	src := "/interface bridge\nadd name=br1 membership-interval=4m20s\nadd name=br2 membership-interval=00:04:20\nadd name=br3 membership-interval=00:05:00\n"
	v := New(Options{Ports: ports, Version: "7.16.2"}).Validate(context.Background(), src, time.Second)
	want := []Verdict{Accepted, Accepted, NotEnforced}
	var got []Verdict
	for _, f := range v.Findings {
		if strings.HasPrefix(f.Text, "add") {
			got = append(got, f.Verdict)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("verdicts %v, want %v (%+v)", got, want, v.Findings)
	}
}
