package config

import (
	"context"
	"strings"
	"testing"
)

// TestEighthCorpusShapes: lines of an eighth corpus of public exports that
// rosemu refused and RouterOS takes: BGP input.add-path and
// output.add-path (7.22, which replaced add-path-out), /ip ssh
// password-authentication (7.22), a disk partition without a slot (7.21.4
// CHR with an NVMe disk), and a static lease beside a disabled one of the
// same MAC (7.22). Each is taken, exported and taken again.
func TestEighthCorpusShapes(t *testing.T) {
	for _, c := range []struct{ version, src string }{
		{"7.22", "/routing bgp template add afi=ip name=RR nexthop-choice=force-self output.add-path=ip .filter-chain=out\n/routing bgp template add afi=ipv6 input.add-path=ipv6 name=RR6 output.add-path=\"\""},
		{"7.22", "/ip ssh set password-authentication=yes"},
		{"7.21.4", "/disk add parent=pcie1 partition-number=1 partition-offset=512 partition-size=1073741312 type=partition"},
		{"7.22", "/ip pool add name=p ranges=192.168.69.100-192.168.69.200\n/ip dhcp-server add address-pool=p interface=ether1 name=dhcp1\n" +
			"/ip dhcp-server lease add address=192.168.69.230 comment=old disabled=yes mac-address=58:47:CA:78:CD:48 server=dhcp1\n" +
			"/ip dhcp-server lease add address=192.168.69.223 mac-address=58:47:CA:78:CD:48 server=dhcp1"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r.Run(context.Background(), c.src); err != nil {
			t.Errorf("%s %q: %v", c.version, c.src, err)
			continue
		}
		exp := body(r.Export())
		r2 := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r2.Run(context.Background(), exp); err != nil {
			t.Errorf("%s re-import: %v\n%s", c.version, err, exp)
		}
	}
	// The controls: a family add-path does not know, a second enabled
	// lease of one MAC, and a disk other than a partition without a slot.
	for _, c := range []struct{ src, want string }{
		{"/routing bgp template add name=x output.add-path=vpnv4", "invalid value for argument output.add-path"},
		{"/ip pool add name=p ranges=192.168.69.100-192.168.69.200\n/ip dhcp-server add address-pool=p interface=ether1 name=dhcp1\n" +
			"/ip dhcp-server lease add address=192.168.69.230 mac-address=58:47:CA:78:CD:48 server=dhcp1\n" +
			"/ip dhcp-server lease add address=192.168.69.223 mac-address=58:47:CA:78:CD:48 server=dhcp1", "lease for this mac-address already exists"},
		{"/disk add type=tmpfs", "slot not specified"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.22"})
		if _, err := r.Run(context.Background(), c.src); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
}
