package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestSplitDNSGapWording (chk57 D5): a forward bound to the WAN with no
// hairpin is a hairpin gap; when the router answers its LAN and a static
// entry gives the server's name the server's own address (method 1), the
// LAN reaches it by that name. The warning said "cannot reach it by the
// public address or name" all the same (rc27's many-fwds export, whose lab
// run said "by name ... works"). It names the name now. Controls: the
// router does not answer its LAN, and a name that leads to another host.
func TestSplitDNSGapWording(t *testing.T) {
	for _, tt := range []struct {
		remote, static string
		byName         bool
	}{{"yes", "192.168.88.50", true}, {"no", "192.168.88.50", false}, {"yes", "192.168.88.60", false}} {
		p := importNamed(t, "split.rsc", []byte(fmt.Sprintf(splitDNSExport, tt.remote, tt.static)))
		found, _ := p.Diagnose()
		_, gaps := p.SplitHairpinGaps(found)
		w := strings.Join(p.HairpinGapWarnings(gaps), "\n")
		if len(gaps) == 0 {
			t.Fatalf("allow-remote-requests=%s, name at %s: no gap: %+v", tt.remote, tt.static, found)
		}
		named := strings.Contains(w, "reach it by the name cloud.home.example (the router's static DNS answers it with the server's own address 192.168.88.50, method 1)")
		if named != tt.byName || strings.Contains(w, "public address or name") == tt.byName {
			t.Errorf("allow-remote-requests=%s, name at %s: by name %v, want %v:\n%s", tt.remote, tt.static, named, tt.byName, w)
		}
	}
}
