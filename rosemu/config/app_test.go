package config

import (
	"strings"
	"testing"
)

// A 7.23.3 hAP ax3's export (realcheck30 D3) sets built-in apps:
// "/app set cinny firewall-redirects=8094:80:tcp:web", "set nextcloud
// container-command-lines=..." (wrapped inside a quoted value). validate
// refused each "syntax error" at the app's name and check's lab "bad
// command name cinny", neither RouterOS's words for a line RouterOS took.
// They are stored and reported now (rosemu runs no containers), exported
// as set and taken again; /app settings keeps its own menu; 7.20 has no
// /app.
func TestAppSetBuiltinApps(t *testing.T) {
	src := `/app
set cinny firewall-redirects=8094:80:tcp:web
set nextcloud container-command-lines="db:none:docker.io/postgres:17,redis:non\
    e:docker.io/valkey/valkey:/bin/sh -c 'valkey-server --port 6379 --appendon\
    ly yes --requirepass \$VALKEY_PASSWORD',server:none:docker.io/nextcloud:ap\
    ache"
set pihole environment="pihole:FTLCONF_dns_listeningMode=all"
/app settings
set auto-update=no
`
	storedShape(t, "7.23.3", "7.20.8", []string{"ether1"}, src, "set cinny", "set cinny firewall-redirects=8094:80:tcp:web")
	r := New(Options{Ports: []string{"ether1"}, Version: "7.23.3"})
	if _, err := r.Run(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	exp := r.Export()
	if !strings.Contains(exp, "/app settings\nset auto-update=no") || !strings.Contains(exp, "set pihole environment=") {
		t.Errorf("export:\n%s", exp)
	}
	if out, err := r.Run(t.Context(), `:put [/app get nextcloud container-command-lines]`); err != nil || !strings.Contains(out, "valkey-server --port 6379 --appendonly yes") {
		t.Errorf("nextcloud's command lines read back %q (%v)", out, err)
	}
	// An app the export does not enable stays disabled, in get as in
	// export.
	if got := run(t, r, ":put [/app get cinny disabled]"); got != "true\n" {
		t.Errorf("cinny disabled = %q, want true", got)
	}
	if len(refusedLines(validateShape("7.23.3", []string{"ether1"}, "/app set cinny no-such-property=1\n"))) != 1 {
		t.Error("/app took a property it has not")
	}
}

// An app's generated secrets: a 7.23 ISP core's export (not a
// show-sensitive one) writes "/app set lorawan-stack
// secrets=lorawan-stack__admin_password:vimVnx..." and "/app set zulip
// secrets=zulip__postgres_password:...,zulip__memcached_password:...".
// rosemu refused both "expected end of command" at secrets (realcheck32
// D3). They are stored, exported as written and taken again.
func TestAppSecrets(t *testing.T) {
	const zulip = "set zulip secrets=zulip__postgres_password:PIUNEVCdynCXGKvRXtmUuwdATBUlIVHu,zulip__memcached_password:WeqKMKtmylcslsyBIaRHoteajkgcFiWO"
	src := "/app\nset lorawan-stack secrets=lorawan-stack__admin_password:vimVnxmQEUVGJkzWPApEoBHNyaIMmweX\n" + zulip + "\n"
	// Too long for a line, the value is quoted and broken as RouterOS
	// breaks a long list (TestWrapLikeRouterOS).
	storedShape(t, "7.23", "7.20.8", []string{"ether1"}, src, "set zulip", `set zulip secrets="zulip__postgres_password:PIUNEVCdynCXGKvRXtmUuwdATBUlIVHu,z\`)
}
