package agentcmd

import (
	"strings"
	"testing"
)

// TestLossRule: a share below 100 % is a numgen comparison nft accepts
// (its values are 0 to 9999); 100 % is a plain drop, since "< 10000" is
// refused by nft ("Value 10000 exceeds valid range 0-9999").
func TestLossRule(t *testing.T) {
	if r := lossRule("eth1", 30); !strings.Contains(r, `oifname "eth1" numgen random mod 10000 < 3000 drop;`) {
		t.Errorf("30%%: %s", r)
	}
	r := lossRule("eth1", 100)
	if strings.Contains(r, "numgen") || !strings.Contains(r, `oifname "eth1" drop;`) {
		t.Errorf("100%%: %s", r)
	}
}
