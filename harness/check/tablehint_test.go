package check

import (
	"context"
	"strings"
	"testing"
)

// f74 D2: a RouterOS 6 PCC pasted into RouterOS 7 ("the second WAN is
// not used"): its mark-routing rule and its route name the table to_ISP2,
// which no /routing table line makes. The lab router refuses both as
// RouterOS 7 does, and the set-aside lines now say which table is missing
// and the line that makes it; with the table made first nothing is
// refused (the control), and a table made below the rule is named with
// its line.
func TestRefusedTableHint(t *testing.T) {
	const rules = `/ip firewall mangle
add action=mark-routing chain=prerouting new-routing-mark=to_ISP2 passthrough=no src-address=192.168.88.23
/ip route
add gateway=198.51.100.1 routing-table=to_ISP2
`
	reasons := func(text string) map[int]string {
		p := importText(t, text)
		p.Refusals(context.Background())
		out := map[int]string{}
		for _, a := range p.Aside {
			out[a.Line] = a.Reason
		}
		return out
	}
	got := reasons(listsHome + rules)
	want := "; RouterOS 7 takes a routing table only once /routing table has made it, and the export makes no table to_ISP2 (RouterOS 6 made one for any mark): /routing table add name=to_ISP2 fib before this line"
	if !strings.HasSuffix(got[14], "input does not match any value of new-routing-mark"+want) {
		t.Errorf("mark-routing line 14: %q", got[14])
	}
	if !strings.HasSuffix(got[16], "input does not match any value of routing-table"+want) {
		t.Errorf("route line 16: %q", got[16])
	}
	if got := reasons(listsHome + "/routing table\nadd fib name=to_ISP2\n" + rules); len(got) != 0 {
		t.Errorf("with the table made first: %v", got)
	}
	got = reasons(listsHome + rules + "/routing table\nadd fib name=to_ISP2\n")
	if !strings.Contains(got[14], "line 18 makes to_ISP2 after this line: move it (/routing table add name=to_ISP2 fib) above") {
		t.Errorf("table made below: %q", got[14])
	}
}
