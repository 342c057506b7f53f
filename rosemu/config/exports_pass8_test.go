package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Shapes of the eighth pass (helper h22), sampled across many public
// repositories, forum posts and READMEs: lines of exports (6.34 to 7.23)
// that rosemu refused and RouterOS wrote.

// validateShape validates src on a router of version with ports.
func validateShape(version string, ports []string, src string) *Validation {
	r := New(Options{Ports: ports, Version: version})
	return r.Validate(context.Background(), src, 2*time.Second)
}

// A 7.7 CCR2004's terse export names each VRRP interface's group master
// with group-master= (group-authority's first name), before the master
// itself is added further down the section: "bad parameter group-master",
// and the addresses, lists and DHCP servers on the VRRP interfaces after
// it were refused too.
func TestH22VRRPGroupMaster(t *testing.T) {
	src := `/interface vlan add interface=ether1 name=vlan-dmz vlan-id=3
/interface vlan add interface=ether1 name=vlan-mgmt vlan-id=4
/interface vrrp add group-master=vrrp-mgmt-gateway interface=vlan-dmz name=vrrp-dmz-gateway priority=50
/interface vrrp add group-master=vrrp-mgmt-gateway interface=vlan-mgmt name=vrrp-mgmt-gateway on-master="/system/script/run x" priority=50
/ip address add address=10.3.0.1 interface=vrrp-dmz-gateway network=10.3.0.1
`
	if refused := refusedLines(validateShape("7.7", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "7.7", []string{"ether1"}, src)
	if exp := body(r.Export()); !strings.Contains(exp, "group-master=vrrp-mgmt-gateway interface=vlan-dmz") {
		t.Errorf("export:\n%s", exp)
	}
}

// "dial-on-demand=yes" of a 7.16.2 hEX refresh's PPPoE client was refused
// with a message of rosemu's own; RouterOS takes it. It is stored and
// reported: rosemu dials at once.
func TestH22PPPoEDialOnDemand(t *testing.T) {
	src := "/interface pppoe-client\nadd add-default-route=yes dial-on-demand=yes disabled=no interface=ether1 name=\"Example PPPoE\" user=u@isp.example\n"
	v := validateShape("7.16.2", []string{"ether1"}, src)
	if refused := refusedLines(v); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "7.16.2", []string{"ether1"}, src)
	if !hasNotEnforced(r, "/interface pppoe-client", "dial-on-demand") {
		t.Errorf("dial-on-demand=yes not reported: %+v", r.NotEnforced())
	}
}

// Hotspot server profiles write mac-auth-mode=mac-as-username-and-password
// (a 7.10.2 L009's); the menu knew "as-username..." and refused it.
func TestH22HotspotMacAuthMode(t *testing.T) {
	src := "/ip hotspot profile\nadd dns-name=example.wifi hotspot-address=10.10.0.1 login-by=mac,cookie,http-chap mac-auth-mode=mac-as-username-and-password name=wifizone\n"
	if refused := refusedLines(validateShape("7.10.2", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	if refused := refusedLines(validateShape("7.10.2", []string{"ether1"}, "/ip hotspot profile add name=p2 mac-auth-mode=as-username\n")); len(refused) != 1 {
		t.Errorf("as-username was taken: %q", refused)
	}
}

// A 7.19.6 L009 keeps two PPP secrets of one name, one for any service and
// one for L2TP; the second was "secret with the same name already
// exists". A second secret of the same name and service still is.
func TestH22PPPSecretPerService(t *testing.T) {
	src := "/ppp secret\nadd name=roamer routes=192.168.88.0/24\nadd name=roamer service=l2tp\n"
	if refused := refusedLines(validateShape("7.19.6", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	refused := refusedLines(validateShape("7.19.6", []string{"ether1"}, src+"add name=roamer service=l2tp password=x\n"))
	if len(refused) != 1 || !strings.Contains(refused[0], "secret with the same name already exists") {
		t.Errorf("a second L2TP secret of the name: %q", refused)
	}
}

// 6.3x verbose exports write "set (unknown) name=request-only
// send-dns=yes" (or "set request-only ..."); send-dns was a bad parameter.
// RouterOS 7 has no send-dns.
func TestH22ModeConfigSendDNS(t *testing.T) {
	src := "/ip ipsec mode-config\nset request-only name=request-only send-dns=yes\n"
	if refused := refusedLines(validateShape("6.34.6", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("refused on 6.34: %q", refused)
	}
	if refused := refusedLines(validateShape("7.16.2", []string{"ether1"}, src)); len(refused) != 1 {
		t.Errorf("send-dns taken on 7: %q", refused)
	}
}

// A 6.48.6 CCR1036's export has the built-in "system-dummy" kid control
// entry with tur-mon ... tur-sun, which were taken on RouterOS 7 only.
func TestH22KidControlTurV6(t *testing.T) {
	src := "/ip kid-control add fri=0s-1d mon=0s-1d name=system-dummy sat=0s-1d sun=0s-1d thu=0s-1d tue=0s-1d tur-fri=0s-1d tur-mon=0s-1d tur-sat=0s-1d tur-sun=0s-1d tur-thu=0s-1d tur-tue=0s-1d tur-wed=0s-1d wed=0s-1d\n"
	if refused := refusedLines(validateShape("6.48.6", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
}

// The same export keeps a disabled bridge port entry and an enabled one
// for the same interface; the second was "device already added as bridge
// port". Two enabled entries still are.
func TestH22BridgePortDisabledTwin(t *testing.T) {
	src := `/interface bridge add name=br1
/interface bridge port add bridge=br1 disabled=yes interface=ether2
/interface bridge port add bridge=br1 interface=ether2
`
	if refused := refusedLines(validateShape("6.48.6", []string{"ether1", "ether2"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	refused := refusedLines(validateShape("6.48.6", []string{"ether1", "ether2"}, src+"/interface bridge port add bridge=br1 interface=ether2\n"))
	if len(refused) != 1 || !strings.Contains(refused[0], "device already added as bridge port") {
		t.Errorf("a second enabled port: %q", refused)
	}
}

// RouterOS 7.22 added a built-in reverse-proxy service; 7.22 and 7.23
// exports write "set reverse-proxy disabled=yes" under /ip service, which
// was "no such item". Before 7.22 there is no such service.
func TestH22ReverseProxyService(t *testing.T) {
	src := "/ip service\nset www-ssl disabled=no\nset reverse-proxy disabled=yes\n"
	if refused := refusedLines(validateShape("7.23.3", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := runShape(t, "7.23.3", []string{"ether1"}, src)
	if exp := body(r.Export()); !strings.Contains(exp, "set reverse-proxy disabled=yes") {
		t.Errorf("export:\n%s", exp)
	}
	if refused := refusedLines(validateShape("7.21.3", []string{"ether1"}, src)); len(refused) != 1 {
		t.Errorf("reverse-proxy on 7.21: %q", refused)
	}
}

// A forum post's export with every line indented and the console prompt on
// its first line: after the prompt was refused, checking resumed only at a
// line starting in the first column, and every command of the post was
// skipped without a verdict. It resumes at the failed line's own column.
func TestH22IndentedPasteResync(t *testing.T) {
	src := "      [admin@AP] > export\n    \n      /interface bridge\n    \n      add name=bridge\n    \n      ...\n    \n      /ip address\n    \n      add address=192.168.21.1/24 interface=bridge\n"
	v := validateShape("7.10.1", []string{"ether1"}, src)
	var accepted, refused int
	for _, f := range v.Findings {
		switch f.Verdict {
		case Accepted:
			accepted++
		case Refused:
			refused++
		}
	}
	if accepted != 2 || refused != 2 {
		t.Errorf("accepted %d, refused %d, want 2 and 2: %+v", accepted, refused, v.Findings)
	}
}

// Setup and hardening scripts end with "/console clear-history" (a 7.x hAP
// ac³ setup script, HamWAN's templates); it was "bad command name
// clear-history". It clears nothing in rosemu and changes no export.
func TestH22ConsoleClearHistory(t *testing.T) {
	src := "/system identity set name=a\n/console clear-history\n"
	for _, v := range []string{"6.49.7", "7.16.2"} {
		if refused := refusedLines(validateShape(v, []string{"ether1"}, src)); len(refused) > 0 {
			t.Errorf("%s refused: %q", v, refused)
		}
	}
	if exp := body(runShape(t, "7.16.2", []string{"ether1"}, src).Export()); strings.Contains(exp, "console") {
		t.Errorf("export:\n%s", exp)
	}
}

// 7.24rc2 lab exports write "add connection-tracking-mode=active-active
// interface=ether3 name=vip ... sync-connection-tracking=yes" (the VRRP
// page's active-active connection tracking sync); the mode was a bad
// parameter and the VIP's address after it was refused too. RouterOS 6
// has no such property.
func TestH22VRRPConnectionTrackingMode(t *testing.T) {
	src := "/interface vrrp\nadd connection-tracking-mode=active-active connection-tracking-port=8275 interface=ether1 name=vip priority=200 remote-address=10.10.10.2 sync-connection-tracking=yes vrid=5\n/ip address\nadd address=192.168.10.254/24 interface=vip network=192.168.10.0\n"
	if refused := refusedLines(validateShape("7.24", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	if refused := refusedLines(validateShape("6.49.7", []string{"ether1"}, src)); len(refused) == 0 {
		t.Errorf("taken on RouterOS 6")
	}
}
