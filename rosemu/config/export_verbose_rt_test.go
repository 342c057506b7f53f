package config

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/version"
)

// TestVerboseExportImportsBack: rosemu's "/export verbose" must import on
// a router of the same version (realcheck30 D7). Over 30 real exports it
// did not: on 6.x it wrote the 7-only /interface bridge mlag (and on 6.38
// the 6.41 /ip neighbor discovery-settings), on 7 the 6-only /ip ipsec
// user settings ("bad command name"), and an added item's unset property
// that takes no empty value as k="" (an OSPF instance's routing-table="",
// a PPP profile's idle-timeout="", a BGP connection's add-path-out=""),
// which add refused; RouterOS writes those "!routing-table" (rosemu
// does where add takes the mark, and leaves them out where it does not).
func TestVerboseExportImportsBack(t *testing.T) {
	for _, c := range []struct {
		ver, src string
		bad      []string // what the version lacks or refuses
	}{
		{"6.49.2", "/routing ospf instance add name=ospf-all distribute-default=always-as-type-1\n/ppp profile add name=null only-one=yes\n",
			[]string{"/interface bridge mlag\n", `routing-table=""`, `idle-timeout=""`}},
		{"6.38.1", "/ip dns set allow-remote-requests=yes\n", []string{"/interface bridge mlag\n", "/ip neighbor discovery-settings\n"}},
		{"7.19.4", "/routing ospf instance add name=backbonev2 router-id=172.16.0.1\n/ppp profile add name=null only-one=yes\n" +
			"/routing bgp connection add as=65015 local.role=ebgp name=peer remote.address=100.100.100.247 .as=65535\n",
			[]string{"/ip ipsec user settings\n", `idle-timeout=""`, `add-path-out=""`}},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: c.ver})
		run(t, r, c.src)
		verbose := run(t, r, "/export verbose")
		for _, bad := range c.bad {
			if strings.Contains(verbose, bad) {
				t.Errorf("%s: the verbose export writes %q", c.ver, strings.TrimSpace(bad))
			}
		}
		r2 := New(Options{Ports: []string{"ether1"}, Version: c.ver})
		if _, err := r2.Run(t.Context(), verbose); err != nil {
			t.Errorf("%s: the verbose export does not import: %v", c.ver, err)
			continue
		}
		got, want := body(r2.Export()), body(r.Export())
		if !version.Is6(c.ver) {
			// RouterOS 7's routes and routing items keep every value
			// they were given (keepsGiven7, realcheck37), the verbose
			// export's defaults too: the export of what it loaded is
			// longer, and must load to itself.
			want = body(runShape(t, c.ver, []string{"ether1"}, got).Export())
		}
		if got != want {
			t.Errorf("%s: imported from the verbose export:\n%s\nwant\n%s", c.ver, got, want)
		}
	}
}
