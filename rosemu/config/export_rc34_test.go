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
