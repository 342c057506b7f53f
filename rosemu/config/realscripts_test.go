package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/files"
	"github.com/chrlab/chrlab/rosemu/script"
)

// Scripts in the shapes public RouterOS scripts have (failover checkers,
// DDNS updaters, lease scripts, address-list refreshers), run as the
// router runs them, each checked by what it leaves behind.

// A dual-WAN checker run by the scheduler: ping a probe host over each
// link and move the default route to the link that answers.
func TestRealScriptPingFailover(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	answered := map[string]bool{"198.51.100.77": true}
	var pinged []string
	r.SetPinger(counted(func(_ context.Context, req PingRequest) int {
		pinged = append(pinged, req.Host.String())
		if answered[req.Host.String()] {
			return req.Count
		}
		return 0
	}))
	run(t, r, `/ip route
add dst-address=0.0.0.0/0 gateway=192.0.2.1 comment=ether1
add dst-address=0.0.0.0/0 gateway=198.51.100.1 comment=ether2 disabled=yes
/system script
add name=switch-isp source=":local PingCount 3;\r\
    \n:local Probe1 192.0.2.77;\r\
    \n:local Probe2 198.51.100.77;\r\
    \n:local isp1 [/ping \$Probe1 count=\$PingCount interface=\"ether1\"];\r\
    \n:local isp2 [/ping \$Probe2 count=\$PingCount interface=\"ether2\"];\r\
    \n:local BackGw [/ip route get [find comment=\"ether2\"] disabled];\r\
    \n:if ((\$isp1=0) && (\$isp2=\$PingCount) && (\$BackGw=true)) do={\r\
    \n/ip route disable [find comment=\"ether1\"];\r\
    \n/ip route enable [find comment=\"ether2\"];\r\
    \n:log warning \"routes moved to ether2\";\r\
    \n}\r\
    \n:local MainGw [/ip route get [find comment=\"ether1\"] disabled];\r\
    \n:if ((\$isp1=\$PingCount) && (\$MainGw=true)) do={\r\
    \n/ip route enable [find comment=\"ether1\"];\r\
    \n/ip route disable [find comment=\"ether2\"];\r\
    \n:log warning \"routes moved to ether1\";\r\
    \n}"
/system scheduler add interval=1m name=switch-isp on-event=switch-isp`)
	disabled := func(c string) string {
		return strings.TrimSpace(run(t, r, ":put [/ip route get [find comment="+c+"] disabled]"))
	}
	tick := func() {
		t.Helper()
		if err := r.RunScheduled(ctx, strings.TrimSpace(run(t, r, ":put [/system scheduler find name=switch-isp]"))); err != nil {
			t.Fatalf("scheduled run: %v", err)
		}
	}
	// Both links answer: nothing moves (the negative control).
	answered["192.0.2.77"] = true
	tick()
	if disabled("ether1") != "false" || disabled("ether2") != "true" {
		t.Fatalf("with both links up: ether1 disabled=%s ether2 disabled=%s; want the routes as they were", disabled("ether1"), disabled("ether2"))
	}
	// The main link's probe goes unanswered: the routes swap.
	answered["192.0.2.77"] = false
	tick()
	if disabled("ether1") != "true" || disabled("ether2") != "false" {
		t.Errorf("main link down: ether1 disabled=%s ether2 disabled=%s; want the backup in use", disabled("ether1"), disabled("ether2"))
	}
	// It comes back: the main route is used again.
	answered["192.0.2.77"] = true
	tick()
	if disabled("ether1") != "false" || disabled("ether2") != "true" {
		t.Errorf("main link back: ether1 disabled=%s ether2 disabled=%s", disabled("ether1"), disabled("ether2"))
	}
	if len(pinged) != 6 {
		t.Errorf("pinged %v; want both probes on each of the three runs", pinged)
	}
}

// /ping without a pinger (the offline check) is reported as not checked,
// not refused.
func TestPingOffline(t *testing.T) {
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), ":local n [/ping 192.0.2.1 count=2]\n:put $n\n", time.Second)
	if len(v.Findings) == 0 || v.Findings[0].Verdict != NotEnforced || v.Findings[0].Msg != offlinePingReason {
		t.Errorf("findings %+v; want the /ping line stored, not enforced", v.Findings)
	}
}

// A lease script that keeps static DNS entries for the leases' host
// names, in its long public shape (a name with and without the domain,
// entries tagged by a comment).
func TestRealScriptLeaseDNSStatic(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	src := `:local dnsDomain "home.example"
:local dnsTtl "00:15:00"
:local leaseComment "dhcp-lease-script_$leaseServerName"
:local leaseClientHostname $"lease-hostname"
:local leaseClientHostnames "$leaseClientHostname"
:if ([:len [$dnsDomain]] > 0) do={
  :set leaseClientHostnames "$leaseClientHostname.$dnsDomain,$leaseClientHostname"
}
/ip dns static remove [/ip dns static find comment="$leaseComment" and address="$leaseActIP"]
:foreach h in=[:toarray $leaseClientHostnames] do={
  /ip dns static remove [/ip dns static find comment="$leaseComment" and name="$h"]
  :if ($leaseBound = "1") do={
    :delay 10ms
    /ip dns static add comment="$leaseComment" address="$leaseActIP" name="$h" ttl="$dnsTtl"
  }
}`
	names := func() string {
		return run(t, r, `:foreach i in=[/ip dns static find] do={ :put ([/ip dns static get $i name] . "=" . [/ip dns static get $i address]) }`)
	}
	// An ending lease of a host with no entry removes nothing and adds
	// nothing (the negative control).
	if err := r.RunScript(ctx, "dhcp-server lan", src, LeaseScriptVars("lan", "02:00:00:00:00:07", "192.168.77.150", "pc7", false)); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "" {
		t.Fatalf("after an unbound lease: %q, want no entries", got)
	}
	if err := r.RunScript(ctx, "dhcp-server lan", src, LeaseScriptVars("lan", "02:00:00:00:00:07", "192.168.77.150", "pc7", true)); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "pc7.home.example=192.168.77.150\npc7=192.168.77.150\n" {
		t.Errorf("after binding: %q, want both names", got)
	}
	// Bound again (a renewal): still one entry per name.
	if err := r.RunScript(ctx, "dhcp-server lan", src, LeaseScriptVars("lan", "02:00:00:00:00:07", "192.168.77.150", "pc7", true)); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "pc7.home.example=192.168.77.150\npc7=192.168.77.150\n" {
		t.Errorf("after a renewal: %q", got)
	}
	if err := r.RunScript(ctx, "dhcp-server lan", src, LeaseScriptVars("lan", "02:00:00:00:00:07", "192.168.77.150", "pc7", false)); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "" {
		t.Errorf("after the lease ended: %q, want none", got)
	}
}

// A scheduler script that keeps an address list of what some names
// resolve to; a name that does not resolve is handled by on-error.
func TestRealScriptAddressListFromDNS(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	r.SetResolver(func(_ context.Context, name string) (netip.Addr, error) {
		switch name {
		case "vpn1.example.net":
			return netip.MustParseAddr("192.0.2.10"), nil
		case "vpn2.example.net":
			return netip.MustParseAddr("192.0.2.11"), nil
		}
		return netip.Addr{}, script.ErrNoSuchName
	})
	run(t, r, `/system script
add name=refresh-allow source={
:local hosts {"vpn1.example.net";"vpn2.example.net";"gone.example.org"}
:foreach h in=$hosts do={
  :do {
    :local ip [:resolve $h]
    :if ([:len [/ip firewall address-list find list=allowed-peers address=$ip]] = 0) do={
      /ip firewall address-list add list=allowed-peers address=$ip timeout=1d comment=$h
    }
  } on-error={ :log warning "allowed-peers: cannot resolve $h" }
}
}`)
	for range 2 {
		if err := r.runEventForTest(ctx, "refresh-allow"); err != nil {
			t.Fatal(err)
		}
	}
	got := run(t, r, `:foreach i in=[/ip firewall address-list find list=allowed-peers] do={ :put ([/ip firewall address-list get $i address] . " " . [/ip firewall address-list get $i comment]) }`)
	if got != "192.0.2.10 vpn1.example.net\n192.0.2.11 vpn2.example.net\n" {
		t.Errorf("address list after two runs: %q; want each resolved name once", got)
	}
	if !strings.Contains(run(t, r, "/log print"), "allowed-peers: cannot resolve gone.example.org") {
		t.Errorf("the unresolvable name was not handled by on-error")
	}
}

// A No-IP style updater: strip the prefix length off the WAN address by
// hand, compare with what the name resolves to, and fetch the update URL
// (its "?" written as the hex escape \3F) when they differ.
func TestRealScriptDDNSUpdater(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	resolved := "198.51.100.23"
	r.SetResolver(func(context.Context, string) (netip.Addr, error) { return netip.MustParseAddr(resolved), nil })
	run(t, r, `/ip address add address=198.51.100.23/24 interface=ether1
/system script
add name=noip source={
:local DynHost "myhost.example.net"
:local IpCurrent [/ip address get [find interface=ether1] address];
:for i from=( [:len $IpCurrent] - 1) to=0 do={
  :if ( [:pick $IpCurrent $i] = "/") do={
    :local NewIP [:pick $IpCurrent 0 $i];
    :global ddnsSeen $NewIP
    :if ([:resolve $DynHost] != $NewIP) do={
      /tool fetch mode=http user=u password=p url="http://dyn.example.net/nic/update\3Fhostname=$DynHost&myip=$NewIP" keep-result=no
      :log info "DDNS Update: $DynHost - $NewIP"
    }
  }
}
}`)
	// The name has the address: no update (the negative control).
	if err := r.runEventForTest(ctx, "noip"); err != nil {
		t.Fatalf("no change: %v", err)
	}
	if got := run(t, r, ":global ddnsSeen; :put $ddnsSeen"); got != "198.51.100.23\n" {
		t.Errorf("the address without its prefix length: %q", got)
	}
	resolved = "198.51.100.99"
	err := r.runEventForTest(ctx, "noip")
	if err == nil || !strings.Contains(err.Error(), "rosemu does not fetch http://dyn.example.net/nic/update?hostname=myhost.example.net&myip=198.51.100.23") {
		t.Errorf("changed address: %v; want the fetch of the update URL, failing as in a lab", err)
	}
}

// The language in real scripts: functions with named arguments, arrays
// built and changed, escapes, the loop forms, conversions, globals
// shared between scripts, :jobname, :execute, and global commands written
// without ':'.
func TestRealScriptLanguage(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/system script
add name=funcs source={
:global notify do={ :log info ("[notify] " . $1 . " " . $level) }
$notify "link changed" level=3
:local cfg {"wan1"="192.0.2.1";"wan2"="198.51.100.1"}
:set ($cfg->"wan3") "203.0.113.1"
:global cfgKeys ""
:foreach k,v in=$cfg do={ :set cfgKeys ($cfgKeys . $k . "=" . $v . ";") }
:local gws [:toarray ""]
:set gws ($gws, "a")
:set gws ($gws, "b")
:global gwCount [:len $gws]
}
add name=esc source=":global escOut (\"a\\\"b\" . \"\\\$x\" . \"\\t|\" . \"\\_\" . \"\\\\\" . \"\\41\\42\")"
add name=loops source={
:global loopLog ""
:local i 0
:do { :set i ($i + 1) } while=($i < 5)
:set loopLog ($loopLog . "do:" . $i . ";")
:for j from=10 to=0 step=-3 do={ :set loopLog ($loopLog . $j . ",") }
:local n 3
:while ($n > 0) do={ :set n ($n - 1); :set loopLog ($loopLog . "w") }
}
add name=conv source={
:foreach a in=[:toarray "10.0.0.1,10.0.0.2"] do={ /ip firewall address-list add list=trusted address=$a }
:global convNum ([:tonum "42"] + 1)
:global convType [:typeof [:toip "10.0.0.1"]]
:global convIdx [:find "abcdef" "cd"]
:global convNil [:typeof [:find "abc" "z"]]
}
add name=set-state source={ :global wanState "down" }
add name=read-state source={
:global wanState
:if ($wanState = "down") do={ /ip firewall address-list add list=state address=10.255.0.1 }
}
add name=who source={ :global whoAmI [:jobname] }
add name=bg source={
:execute script={ :global bgRan "yes" }
:global bgRan
}
add name=single source={
:if ([/system script job print count-only as-value where script=[:jobname]] > 1) do={ :error "script instance already running" }
:global singleJobs [:len [/system script job find where script=[:jobname]]]
}
add name=selfrun source={
:global depth
:set depth ($depth + 1)
:if ([/system script job print count-only where script=[:jobname]] > 1) do={ :error "script instance already running" }
/system script run selfrun
}
add name=bare source={
:local mail {"a@example.org";"b@example.org"}
:global bareOut ""
foreach k in=$mail do={
  if ([:len $k] > 0) do={ set bareOut ($bareOut . $k . ";") }
}
}`)
	for _, s := range []string{"funcs", "esc", "loops", "conv", "who", "bg", "bare", "single"} {
		if _, err := r.Run(ctx, "/system script run "+s); err != nil {
			t.Fatalf("run %s: %v", s, err)
		}
	}
	global := func(name string) string {
		return run(t, r, ":global "+name+"; :put $"+name)
	}
	checks := []struct{ name, want string }{
		{"cfgKeys", "wan1=192.0.2.1;wan2=198.51.100.1;wan3=203.0.113.1;\n"},
		{"gwCount", "2\n"},
		{"escOut", "a\"b$x\t| \\AB\n"},
		{"loopLog", "do:5;10,7,4,1,www\n"},
		{"convNum", "43\n"},
		{"convType", "ip\n"},
		{"convIdx", "2\n"},
		{"convNil", "nil\n"},
		{"whoAmI", "who\n"},
		{"bgRan", "yes\n"},
		{"bareOut", "a@example.org;b@example.org;\n"},
		{"singleJobs", "1\n"},
	}
	for _, c := range checks {
		if got := global(c.name); got != c.want {
			t.Errorf("$%s = %q, want %q", c.name, got, c.want)
		}
	}
	if !strings.Contains(run(t, r, "/log print"), "[notify] link changed 3") {
		t.Errorf("the function's log line is missing")
	}
	if got := run(t, r, ":put [:len [/ip firewall address-list find list=trusted]]"); got != "2\n" {
		t.Errorf("trusted entries: %q, want 2", got)
	}
	// A script that runs itself finds itself running the second time.
	run(t, r, ":global depth 0")
	if _, err := r.Run(ctx, "/system script run selfrun"); err == nil || !strings.Contains(err.Error(), "script instance already running") {
		t.Errorf("selfrun: %v; want the second instance to see the first", err)
	}
	if got := run(t, r, ":put [:len [/system script job find]]"); got != "0\n" {
		t.Errorf("jobs after the runs: %q, want none", got)
	}
	// Globals between scripts: the state "up" adds nothing (the negative
	// control), "down" adds the entry.
	run(t, r, `:global wanState "up"`)
	run(t, r, "/system script run read-state")
	if got := run(t, r, ":put [:len [/ip firewall address-list find list=state]]"); got != "0\n" {
		t.Errorf("state up: %q entries, want 0", got)
	}
	run(t, r, "/system script run set-state")
	run(t, r, "/system script run read-state")
	if got := run(t, r, ":put [:len [/ip firewall address-list find list=state]]"); got != "1\n" {
		t.Errorf("state down: %q entries, want 1", got)
	}
}

// A backup script's clean-up: remove the old backups by name, keep the
// other files, read a file's contents.
func TestRealScriptFileCleanup(t *testing.T) {
	ctx := context.Background()
	store := &files.Store{}
	for name, data := range map[string]string{"site-bak-1.backup": "x", "site-bak-2.backup": "yy", "ddns.txt": "good 198.51.100.7", "keep.rsc": "/log info x"} {
		if err := store.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	r := New(Options{Ports: ports, Files: store})
	run(t, r, `/system script
add name=cleanup source={
:local sysName "site"
:foreach i in=[/file find] do={:if ([:typeof [:find [/file get $i name] "$sysName-bak-"]]!="nil") do={/file remove $i}}
:global ddnsResult [/file get ddns.txt contents]
:global fileCount [/file print count-only]
}`)
	if err := r.runEventForTest(ctx, "cleanup"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(store.Names(), ","); got != "ddns.txt,keep.rsc" {
		t.Errorf("files left: %s; want the backups removed, the others kept", got)
	}
	if got := run(t, r, ":global ddnsResult; :global fileCount; :put ($ddnsResult . \"|\" . $fileCount)"); got != "good 198.51.100.7|2\n" {
		t.Errorf("contents and count: %q", got)
	}
	if _, err := r.Run(ctx, "/file get nothere.txt contents"); err == nil {
		t.Errorf("get of a missing file gave no error")
	}
}

// A backup mailer: save a backup, mail it. rosemu saves none and says so;
// the script reaches its e-mail.
func TestRealScriptBackupMail(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/tool e-mail set from=rtr@example.org
/system script
add name=sendbk source=":global who [/system identity get name]\r\
    \n/system backup save name=SITE-A.backup;\r\
    \n/tool e-mail send to=\"ops@example.org\" subject=\"Backup SITE-A\" file=\"SITE-A.backup\" body=\"Backup of \$who\";\r\
    \n:log warning message=\"Backup e-mail sent.\";"`)
	if err := r.runEventForTest(ctx, "sendbk"); err != nil {
		t.Fatal(err)
	}
	logs := run(t, r, "/log print")
	for _, want := range []string{"backup SITE-A.backup not saved", "e-mail to ops@example.org (Backup SITE-A) not sent", "Backup e-mail sent."} {
		if !strings.Contains(logs, want) {
			t.Errorf("log has no %q:\n%s", want, logs)
		}
	}
}

// A backup file name carries the RouterOS version from /system package.
func TestRealScriptPackageVersion(t *testing.T) {
	for _, c := range []struct{ version, pkg string }{{"7.16.2", "routeros"}, {"6.49.10", "system"}} {
		r := New(Options{Ports: ports, Version: c.version})
		if got := run(t, r, ":put [/system package get "+c.pkg+" version]"); got != c.version+"\n" {
			t.Errorf("%s: %q", c.version, got)
		}
		other := map[string]string{"routeros": "system", "system": "routeros"}[c.pkg]
		if _, err := r.Run(context.Background(), ":put [/system package get "+other+" version]"); err == nil {
			t.Errorf("%s: package %s found; want no such item", c.version, other)
		}
	}
}

// validate names an event script text that will not compile when its
// event runs it; a script's name (written before the script exists, as
// exports order the scheduler first) and a good text are accepted, and so
// is a public netwatch script's abbreviated "/ip dhcp-cl set add-def=no"
// (abbreviations stand for the names; it was "bad command name dhcp-cl").
func TestEventScriptGap(t *testing.T) {
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), `/system scheduler add name=s1 interval=1m on-event=later-script
/tool netwatch add host=192.0.2.1 down-script="/ip route disable [find comment=x]"
/tool netwatch add host=192.0.2.2 down-script="/ip dhcp-cl set add-def=no [find comment=NET]"
/system scheduler add name=s2 interval=1m on-event=":frobnicate 1"
`, time.Second)
	var got []string
	for _, f := range v.Findings {
		got = append(got, string(f.Verdict)+" "+f.Msg)
	}
	if len(got) != 4 || !strings.HasPrefix(got[0], "accepted") || !strings.HasPrefix(got[1], "accepted") ||
		!strings.HasPrefix(got[2], "accepted") ||
		!strings.Contains(got[3], "on-event: the script does not compile in rosemu (bad command name frobnicate") {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
}
