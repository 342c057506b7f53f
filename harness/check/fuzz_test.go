package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/scenario"
)

// FuzzCheck runs an export through everything chrlab check does before
// its lab starts: read, import, the lab router's refusals, the diagnosis,
// the fix, the offline report and the lab's case. A user's export is
// anything a router printed, cut or edited by hand, so none of it may
// panic, and a case that check builds must load as chrlab lab would load
// it: a case that does not is a lab the user can never run.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.rsc")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=80 protocol=tcp to-addresses=192.168.88.10\n",
		"# by RouterOS 6.49.18\n/ip address\nadd address=192.168.88.1/24 interface=ether2\n/ip dhcp-client\nadd interface=ether1\n",
		"/interface bridge port\nadd bridge=bridge interface=ether2 \\\n",
		"/ip firewall nat add chain=dstnat action=netmap to-addresses=10.0.0.0/8 dst-address=0.0.0.0/0\n",
		// An address-list entry whose list= a wrapped paste lost (realcheck27 D9).
		"/interface list add name=WAN\n/interface list member add interface=ether1 list=WAN\n/ip dhcp-client add interface=ether1\n/ip address add address=192.168.88.1/24 interface=ether2\n/ip firewall address-list add address=0.0.0.0/8 comment=rfc8690\n/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := export.Read("f.rsc", data)
		if err != nil {
			if fl, err = export.ReadLenient("f.rsc", data); err != nil {
				return
			}
		}
		p, err := Import(fl, Options{Map: map[string]string{}})
		if err != nil {
			return
		}
		p.Refusals(context.Background())
		var b strings.Builder
		p.Summary(&b)
		found, _ := p.Diagnose()
		fx := p.Propose(found)
		p.OfflineServiceWarnings()
		PrintFindings(&b, p, found, fx)
		if err := p.OfflineDocument().Write(t.TempDir()); err != nil {
			t.Fatalf("offline report: %v", err)
		}
		if why := p.WANRefused(); why != "" && len(p.WANs) == 1 {
			return // check stops here, naming the line
		}
		c, err := p.Case(fx)
		if err != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "case.yaml")
		if err := os.WriteFile(path, []byte(c.YAML), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.LoadFile(path); err != nil {
			t.Fatalf("check built a case that does not load: %v\n%s", err, c.YAML)
		}
	})
}
