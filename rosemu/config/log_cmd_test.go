package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// /log info "text" and /log warning message=... write an entry as :log
// does, and a lease script that uses them (a 6.49 export's
// lease-script="/log info \"lease ...\"") is taken; an unknown level is
// still refused.
func TestLogCommands(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/log info \"one\"\n/log warning message=two\n/log/error three")
	var got []string
	for _, e := range r.Log() {
		got = append(got, e.Topics+":"+e.Msg)
	}
	if want := "script,info:one script,warning:two script,error:three"; strings.Join(got, " ") != want {
		t.Errorf("log = %q, want %q", got, want)
	}
	run(t, r, "/ip pool add name=p ranges=192.168.88.10-192.168.88.20\n"+
		"/ip dhcp-server add address-pool=p interface=ether2 name=d lease-script=\"/log info \\\"lease \\$leaseActIP\\\"\"")
	if _, err := r.Run(context.Background(), "/log notice \"x\""); err == nil || !strings.Contains(err.Error(), "bad command name notice") {
		t.Errorf("/log notice: %v, want bad command name notice", err)
	}
}

// A lease script that rosemu's parser cannot read (a 6.44 export's
// ":foreach i in \$deladdr do={") is stored and reported with the
// parser's message, not refused; the server it belongs to exists, so its
// static leases load. One that sends a notice with /tool fetch compiles
// (tool_commands.go) and is simply accepted.
func TestLeaseScriptStoredWhenItDoesNotCompile(t *testing.T) {
	src := "/ip pool add name=p ranges=192.168.88.10-192.168.88.20\n" +
		"/ip dhcp-server add address-pool=p interface=ether2 name=d lease-script=\"/tool fetch url=\\\"https://x.example/\\?m=\\$leaseActMAC\\\" keep-result=no\"\n" +
		"/ip dhcp-server set d lease-script=\":local x [find]\\r\\n:foreach i in \\$x do={ remove \\$i }\"\n" +
		"/ip dhcp-server lease add address=192.168.88.9 mac-address=00:03:EA:15:00:C8 server=d\n" +
		"/ip dhcp-server set d lease-script=\":log info \\$leaseActIP\"\n"
	v := New(Options{Ports: ports}).Validate(context.Background(), src, time.Second)
	got := findings(v)
	if len(got) != 5 || got[0] != "1:1 accepted" ||
		got[1] != "2:1 accepted" ||
		!strings.HasPrefix(got[2], "3:1 stored-not-enforced lease-script: the script does not compile in rosemu (") ||
		got[3] != "4:1 accepted" || got[4] != "5:1 accepted" {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
}
