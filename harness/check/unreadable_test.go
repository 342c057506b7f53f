package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// A line two commands were glued into (a 7.15 terse export's
// 'out-interface="wan A"/ip firewall nat') does not stop check: Read
// refuses the file, ReadLenient steps over that line, and Import sets it
// aside with its line and why; the rest of the export is checked.
func TestImportUnreadableLine(t *testing.T) {
	src := "# 2024-08-09 21:29:49 by RouterOS 7.15.3\n" +
		"/ip address add address=192.168.88.1/24 interface=ether2 network=192.168.88.0\n" +
		"/ip dhcp-client add interface=ether1\n" +
		"/ip firewall nat add action=masquerade chain=srcnat comment=\"all WAN\" out-interface=\"ether1\"/ip firewall nat\n" +
		"add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=192.168.88.10 to-ports=80\n"
	if _, err := export.Read("glued.rsc", []byte(src)); err == nil {
		t.Fatal("Read took the glued line")
	}
	f, err := export.ReadLenient("glued.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Unreadable) != 1 || f.Unreadable[0].Line != 4 || f.Unreadable[0].Menu != "ip firewall nat" {
		t.Fatalf("unreadable %+v", f.Unreadable)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range p.Aside {
		if a.Line == 4 && strings.Contains(a.Reason, "cannot be read") && strings.Contains(a.Reason, `bad quoted string "ether1"/ip`) {
			found = true
		}
	}
	if !found {
		t.Errorf("line 4 not set aside: %+v", p.Aside)
	}
	if len(p.Forwards) != 1 || p.Forwards[0].ToPort != 80 {
		t.Errorf("forwards %+v", p.Forwards)
	}
	// A file with every line readable has nothing in Unreadable.
	if f, err := export.ReadLenient("ok.rsc", []byte("/ip address add address=192.168.88.1/24 interface=ether2\n")); err != nil || len(f.Unreadable) != 0 {
		t.Errorf("clean file: %v %+v", err, f)
	}
}

// TestImportResetConfiguration (realcheck20 D10): "/system
// reset-configuration no-defaults=yes" at the top of a lab script is read
// as the command it is (it was "no-defaults=yes is not a console
// command": a line that cannot be read) and set aside with why: RouterOS
// erases the configuration and reboots there. An unknown parameter or a
// bad yes/no is set aside as a line RouterOS refuses. The control: the
// lines after it are read and checked (the LAN and the WAN are found).
func TestImportResetConfiguration(t *testing.T) {
	src := "/system reset-configuration no-defaults=yes skip-backup=yes run-after-reset=setup.rsc\n" +
		"/system identity set name=RM\n" +
		"/ip address add address=192.168.88.1/24 interface=ether2\n" +
		"/ip dhcp-client add interface=ether1\n" +
		"/system reset-configuration no-defaults=maybe\n" +
		"/system reset-configuration keep-config=yes\n"
	f, err := export.Read("reset.rsc", []byte(src))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if c := f.Commands[0]; c.MenuPath() != "system" || c.Verb != "reset-configuration" || c.Value("no-defaults") != "yes" {
		t.Fatalf("line 1 read as %+v", c)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		1: "reset-configuration erases the router's configuration and reboots it",
		5: "RouterOS refuses the line (invalid value for argument no-defaults)",
		6: "RouterOS refuses the line (expected end of command, at keep-config)",
	}
	for _, a := range p.Aside {
		if w, ok := want[a.Line]; ok && strings.Contains(a.Reason, w) && a.Menu == "system" {
			delete(want, a.Line)
		} else if a.Line <= 4 {
			t.Errorf("unexpected aside %+v", a)
		}
	}
	if len(want) != 0 {
		t.Errorf("not set aside as wanted: %v (aside %+v)", want, p.Aside)
	}
	if strings.Contains(p.RSC, "reset-configuration") {
		t.Errorf("the lab's configuration carries the reset:\n%s", p.RSC)
	}
	if len(p.Ports) != 2 || !strings.Contains(p.RSC, "192.168.88.1/24") {
		t.Errorf("ports %v, rsc:\n%s", p.Ports, p.RSC)
	}
}

// TestImportBareReboot: a bare "/system reboot" line is the command it is,
// not a menu header (the lines after it were read as under a "/system
// reboot" menu, and it had no word): set aside with why, the lab not
// rebooting mid-run; a bare "/system reset-configuration" likewise. The
// control: the lines after each are read under their own menus and
// checked (the LAN and the WAN are found).
func TestImportBareReboot(t *testing.T) {
	src := "/system reboot\n" +
		"/ip address\nadd address=192.168.88.1/24 interface=ether2\n" +
		"/system reset-configuration\n" +
		"/ip dhcp-client\nadd interface=ether1\n"
	f, err := export.Read("reboot.rsc", []byte(src))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	for _, c := range f.Commands {
		if strings.HasPrefix(c.MenuPath(), "system reboot") || strings.HasPrefix(c.MenuPath(), "system reset-configuration") {
			t.Errorf("line %d read under menu %q", c.Line, c.MenuPath())
		}
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		1: "reboot restarts the router, and an import of this file stops there; the lab does not reboot mid-run",
		4: "reset-configuration erases the router's configuration and reboots it",
	}
	for _, a := range p.Aside {
		if w, ok := want[a.Line]; ok && strings.Contains(a.Reason, w) && a.Menu == "system" {
			delete(want, a.Line)
		} else {
			t.Errorf("unexpected aside %+v", a)
		}
	}
	if len(want) != 0 {
		t.Errorf("not set aside as wanted: %v (aside %+v)", want, p.Aside)
	}
	if strings.Contains(p.RSC, "/system") || !strings.Contains(p.RSC, "192.168.88.1/24") {
		t.Errorf("the lab's configuration:\n%s", p.RSC)
	}
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
		t.Errorf("WANs %+v", p.WANs)
	}
}
