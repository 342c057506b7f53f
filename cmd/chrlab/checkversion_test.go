package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckVersionNoteCountsAsValidate: the check infers a header-less
// export's version from the text validate uses, hardware lines set aside,
// so its note gives validate's counts (realcheck19 D8: "7.16.2 refuses 3,
// 7.22.1 2" beside validate's "1, 0", the two set-aside lines counted).
func TestCheckVersionNoteCountsAsValidate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "noheader.rsc")
	src := `/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface lte apn set [ find default=yes ] ip-type=ipv4 use-network-apn=no
/system routerboard settings set auto-upgrade=yes
/interface ovpn-server server add name=ovpn-server1
/ip address add address=192.168.88.1/24 interface=bridge
/ip dhcp-client add interface=ether1
/ip firewall nat add chain=srcnat out-interface=ether1 action=masquerade
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	t.Chdir(dir)
	code := cmdCheck(context.Background(), dir, []string{"--offline", file})
	w.Close()
	os.Stdout = old
	out, _ := io.ReadAll(r)
	if code == 2 {
		t.Fatalf("exit 2:\n%s", out)
	}
	if want := "RouterOS 7.16.2 refuses 1 of them, RouterOS 7.22.1 0"; !strings.Contains(string(out), want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
