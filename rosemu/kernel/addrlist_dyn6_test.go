package kernel

import (
	"strings"
	"testing"
	"time"
)

// TestWithDynEntriesFamilies (forum48): a reload of the ip6 table keeps
// the IPv6 addresses rules added, as one of the ip table keeps the IPv4
// ones; each table takes only its own family's entries.
func TestWithDynEntriesFamilies(t *testing.T) {
	set := func(typ string) string {
		return "\tset ald_k1 {\n\t\ttype " + typ + "\n\t\tflags dynamic, timeout\n\t}\n"
	}
	entries := []DynEntry{
		{List: "k1", Address: "198.51.100.50", Timeout: 30 * time.Second, Expires: 20 * time.Second},
		{List: "k1", Address: "3fff:100::50", Timeout: 30 * time.Second, Expires: 25 * time.Second},
	}
	v6 := withDynEntries("table ip6 rosemu {\n"+set("ipv6_addr")+"}\n", entries)
	if !strings.Contains(v6, "elements = { 3fff:100::50 timeout 30s expires 25s }") || strings.Contains(v6, "198.51.100.50") {
		t.Errorf("ip6 table:\n%s", v6)
	}
	v4 := withDynEntries("table ip rosemu {\n"+set("ipv4_addr")+"}\n", entries)
	if !strings.Contains(v4, "elements = { 198.51.100.50 timeout 30s expires 20s }") || strings.Contains(v4, "3fff:100::50") {
		t.Errorf("ip table:\n%s", v4)
	}
}
