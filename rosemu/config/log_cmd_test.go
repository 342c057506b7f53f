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
	if _, err := r.Run(context.Background(), "/ip dhcp-server set d lease-script=\"/log info (\""); err == nil {
		t.Errorf("lease-script with broken syntax was taken")
	}
}

// A lease script naming a command rosemu lacks (/tool fetch, /tool e-mail
// send: RouterOS has them) is stored and reported, not refused; a script
// with broken syntax is still refused at its line.
func TestLeaseScriptUnknownCommand(t *testing.T) {
	src := "/ip pool add name=p ranges=192.168.88.10-192.168.88.20\n" +
		"/ip dhcp-server add address-pool=p interface=ether2 name=d lease-script=\"/tool fetch url=\\\"https://x.example/\\?m=\\$leaseActMAC\\\" keep-result=no\"\n" +
		"/ip dhcp-server set d lease-script=\":if (\\$leaseBound = 1) do={\"\n"
	v := New(Options{Ports: ports}).Validate(context.Background(), src, time.Second)
	got := findings(v)
	if len(got) != 3 || got[0] != "1:1 accepted" ||
		!strings.HasPrefix(got[1], "2:1 stored-not-enforced lease-script: the script uses a command rosemu does not have (bad command name fetch") ||
		!strings.HasPrefix(got[2], "3:") || !strings.Contains(got[2], "refused") {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
}
