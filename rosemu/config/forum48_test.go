package config

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestForum48ListNameWithComma (D1): the Bruteforce prevention page's
// "src-address-list=connection2,!secured", which a RouterOS 7.14.3 export
// carries, is taken as the name of one list, so the rule matches the
// addresses of a list of that very name (none can exist) and not those of
// connection2; it was refused as "invalid value for argument
// src-address-list". Controls: an entry's list= still refuses a comma,
// and a plain negated list still renders as before.
func TestForum48ListNameWithComma(t *testing.T) {
	r := hairpin(t)
	src := `/ip firewall filter add action=add-src-to-address-list address-list=connection3 address-list-timeout=1h chain=input comment="Third attempt" connection-state=new dst-port=22 protocol=tcp src-address-list=connection2,!secured
/ip firewall filter add action=accept chain=input dst-port=22 protocol=tcp src-address-list=!bruteforce_blacklist`
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatalf("the page's rules: %v", err)
	}
	out, err := kernel.Render(r.State())
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	// "connection2,!secured" escaped as one identifier: , is _2c, ! is _21.
	if !strings.Contains(out, "ip saddr @al_connection2_2c_21secured") {
		t.Errorf("the rule does not match the list named connection2,!secured:\n%s", out)
	}
	if strings.Contains(out, "@al_connection2 ") || strings.Contains(out, "@ald_connection2 ") {
		t.Errorf("the rule matches connection2 itself:\n%s", out)
	}
	if !strings.Contains(out, "ip saddr != @al_bruteforce_5fblacklist") {
		t.Errorf("the negated list is not rendered as before:\n%s", out)
	}
	if _, err := r.Run(context.Background(), "/ip firewall address-list add list=a,b address=198.51.100.50"); err == nil || !strings.Contains(err.Error(), "invalid value for argument list") {
		t.Errorf("an entry's list= with a comma: %v, want invalid value for argument list", err)
	}
}
