package config

import (
	"context"
	"strings"
	"testing"
)

// TestSchedulerPolicy (forum35 D11, mini/sched-policy): a scheduler entry
// with policy=read does not run a script whose policy has write, and its
// inline commands that write fail with "not enough permissions (9)"; the
// controls (an entry with read,write; a script with
// dont-require-permissions=yes; console runs) still run. Scripting page,
// "Script permissions".
func TestSchedulerPolicy(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, `/system script
add name=block-pc1 policy=read,write,test source="/ip firewall address-list add list=blocked address=192.168.88.20"
add name=readonly policy=read source="/ip firewall address-list add list=ro address=192.168.88.21"
add name=bypass policy=read,write dont-require-permissions=yes source="/ip firewall address-list add list=bypass address=192.168.88.22"
add name=pinger policy=read,write source=":put [/ping 127.0.0.1 count=1]"
/system scheduler
add name=block interval=2s on-event=block-pc1 policy=read start-time=startup
add name=block-rw interval=2s on-event=block-pc1 policy=read,write,test start-time=startup
add name=inline-ro interval=2s on-event="/ip firewall address-list add list=inline address=192.168.88.23" policy=read start-time=startup
add name=ro-script interval=2s on-event=readonly policy=read start-time=startup
add name=bypass interval=2s on-event=bypass policy=read start-time=startup
add name=read-ok interval=2s on-event=":log info [:len [/ip firewall address-list find]]" policy=read start-time=startup
add name=ping-rw interval=2s on-event=pinger policy=read,write start-time=startup`)
	ids := map[string]string{}
	for _, e := range r.SchedulerEntries() {
		ids[e.Name] = e.ID
	}
	lists := func() string { return run(t, r, `:put [/ip firewall address-list print as-value]`) }

	// The forum case: refused, the script does not run.
	err := r.RunScheduled(ctx, ids["block"])
	if err == nil || !strings.Contains(err.Error(), "not enough permissions (9)") {
		t.Errorf("block (policy=read, script read,write,test): err %v, want not enough permissions (9)", err)
	}
	if strings.Contains(lists(), "blocked") {
		t.Errorf("block: the script ran: %s", lists())
	}
	if logs := run(t, r, "/log print"); !strings.Contains(logs, "not enough permissions (9)") {
		t.Errorf("block: the log has no refusal:\n%s", logs)
	}
	// Inline commands that write, with read only.
	if err := r.RunScheduled(ctx, ids["inline-ro"]); err == nil || !strings.Contains(err.Error(), "not enough permissions (9)") {
		t.Errorf("inline-ro: err %v, want not enough permissions (9)", err)
	}
	// A script with read only, run by an entry with read: it runs, and
	// its add fails.
	if err := r.RunScheduled(ctx, ids["ro-script"]); err == nil || !strings.Contains(err.Error(), "not enough permissions (9)") {
		t.Errorf("ro-script: err %v, want not enough permissions (9)", err)
	}
	// /ping needs test.
	if err := r.RunScheduled(ctx, ids["ping-rw"]); err == nil || !strings.Contains(err.Error(), "not enough permissions (9)") {
		t.Errorf("ping-rw: err %v, want not enough permissions (9)", err)
	}
	if l := lists(); strings.Contains(l, "inline") || strings.Contains(l, "list=ro") || strings.Contains(l, "192.168.88.21") {
		t.Errorf("a refused add took effect: %s", l)
	}

	// Controls: the fix of the forum thread (write on the entry), reading
	// with read, and dont-require-permissions=yes.
	if err := r.RunScheduled(ctx, ids["read-ok"]); err != nil {
		t.Errorf("read-ok: %v", err)
	}
	if err := r.RunScheduled(ctx, ids["block-rw"]); err != nil {
		t.Errorf("block-rw: %v", err)
	}
	if err := r.RunScheduled(ctx, ids["bypass"]); err != nil {
		t.Errorf("bypass: %v", err)
	}
	if l := lists(); !strings.Contains(l, "blocked") || !strings.Contains(l, "bypass") {
		t.Errorf("controls did not add their entries: %s", l)
	}
	// The console (admin, every policy) runs any script.
	run(t, r, "/system script run readonly")
	if !strings.Contains(lists(), "192.168.88.21") {
		t.Errorf("console run of readonly did not add")
	}
	// use-script-permissions: the script's own policy (read) refuses its add.
	if _, err := r.Run(ctx, "/system script run readonly use-script-permissions"); err == nil || !strings.Contains(err.Error(), "not enough permissions (9)") {
		t.Errorf("run readonly use-script-permissions: err %v, want not enough permissions (9)", err)
	}
}

// TestUseScriptPermissionsVersion: the flag is refused before 7.15.
func TestUseScriptPermissionsVersion(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.12"})
	run(t, r, `/system script add name=s source=":put 1"`)
	if _, err := r.Run(context.Background(), "/system script run s use-script-permissions"); err == nil {
		t.Error("7.12 took use-script-permissions")
	}
	run(t, r, `/system script run s`)
}
