package config

import (
	"context"
	"strings"
	"testing"
)

// TestUserGroupV6Policies: RouterOS 6's dude and tikapp policies, in most
// v6 exports' /user group lines, are taken on 6, kept as written (granted or
// denied) through export and re-import, and refused on 7.
func TestUserGroupV6Policies(t *testing.T) {
	src := "/user group\nadd name=mon policy=read,winbox,!dude,tikapp\n"
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.13"})
	run(t, r, src)
	exp := r.Export()
	if !strings.Contains(exp, "tikapp") || !strings.Contains(exp, "!dude") {
		t.Fatalf("the export lost the v6 policies:\n%s", exp)
	}
	r2 := New(Options{Ports: []string{"ether1"}, Version: "6.49.13"})
	run(t, r2, body(exp))
	if body(r2.Export()) != body(exp) {
		t.Errorf("re-import differs:\n%s\nwant\n%s", r2.Export(), exp)
	}
	r7 := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := r7.Run(context.Background(), src); err == nil || !strings.Contains(err.Error(), "invalid value for argument policy") {
		t.Errorf("RouterOS 7 took a v6 policy: %v", err)
	}
}

// TestUserGroupPolicies711: a 7.1.1 export sets the full group with dude,
// tikapp and rest-api; 7.1.1 takes them.
func TestUserGroupPolicies711(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.1.1"})
	run(t, r, "/user group\nset full policy=\"local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,dude,tikapp,rest-api\"\n")
}

// TestUserGroupV6NoRestAPI: RouterOS 6 has no rest-api policy (REST came
// with 7.1beta4; a 6.49.2 verbose export lists the full group as
// "local,...,romon,dude,tikapp" with none). rosemu's export of a 6.49.2
// RB1100x4's "/user group set full policy=..." wrote ",!rest-api", which a
// 6.x router refuses (realcheck30 D4). On 6 the export names no rest-api
// and the policy is refused; 7 keeps it.
func TestUserGroupV6NoRestAPI(t *testing.T) {
	// full without ftp: not 6's default, so the export writes it.
	src := "/user group\nset full policy=\"local,telnet,ssh,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,dude,tikapp\"\n"
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.2"})
	run(t, r, src)
	if exp := r.Export(); strings.Contains(exp, "rest-api") || !strings.Contains(exp, "romon,dude,tikapp,!ftp") {
		t.Errorf("6.49.2 export:\n%s", exp)
	}
	if got := run(t, r, ":put [/user group get full policy]"); strings.Contains(got, "rest-api") {
		t.Errorf("6.49.2 full policy = %q", got)
	}
	if _, err := r.Run(context.Background(), "/user group add name=rest policy=read,rest-api"); err == nil {
		t.Error("RouterOS 6 took the rest-api policy")
	}
	r7 := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r7, "/user group\nset full policy=\"local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon\"\n")
	if exp := r7.Export(); !strings.Contains(exp, "!rest-api") {
		t.Errorf("7.16.2 export lost the denied rest-api:\n%s", exp)
	}
}

// TestUserGroupV6BuiltinGroups: RouterOS 6's built-in groups are 6's own
// (a 6.49.2 verbose export: read grants sensitive and tikapp, denies dude,
// names no rest-api), so that export's "set read ... policy=..." of the
// default is nothing to export again; 7's stay as they were.
func TestUserGroupV6BuiltinGroups(t *testing.T) {
	v6read := "local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,sensitive,api,romon,tikapp,!ftp,!write,!policy,!dude"
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.2"})
	if got := run(t, r, ":put [/user group get read policy]"); got != v6read+"\n" {
		t.Errorf("6.49.2 read = %q, want %q", got, v6read)
	}
	run(t, r, "/user group\nset read name=read policy="+v6read+" skin=default\n")
	if exp := r.Export(); strings.Contains(exp, "/user group") {
		t.Errorf("6.49.2 exports a built-in group at its default:\n%s", exp)
	}
	r7 := New(Options{Ports: []string{"ether1"}, Version: "7.19.4"})
	if got := run(t, r7, ":put [/user group get read policy]"); got != "local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,api,romon,rest-api,!ftp,!write,!policy,!sensitive\n" {
		t.Errorf("7.19.4 read = %q", got)
	}
}
