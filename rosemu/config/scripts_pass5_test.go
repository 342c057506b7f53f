package config

import (
	"context"
	"testing"
)

// A monitor's do={ } runs with the reading's values as its variables:
// a cable check reads $rate, a failover $status, and the block may set a
// local of the script around it. A name the reading lacks is nothing, and
// a variable that is neither declared nor the monitor's is still a syntax
// error where it stands. Was "bad parameter do".
func TestMonitorDoBlock(t *testing.T) {
	r := New(Options{Ports: ports})
	out := run(t, r, `:local st "unset"
/interface ethernet monitor ether1 once do={ :set st $status; :put ("rate=" . $rate . " duplex=" . $"full-duplex" . " partner=" . [:typeof $"link-partner-advertising"]) }
:put $st`)
	if out != "rate=1Gbps duplex=yes partner=nothing\nlink-ok\n" {
		t.Errorf("out = %q", out)
	}
	if _, err := r.Run(context.Background(), "/interface ethernet monitor ether1 once do={ :put $nosuch }"); err == nil || err.Error() != "syntax error (line 1 column 52)" {
		t.Errorf("undeclared variable in the block: err = %v", err)
	}
	if _, err := r.Run(context.Background(), "/ip address print do={ :put 1 }"); err == nil || err.Error() != "bad parameter do (line 1 column 19)" {
		t.Errorf("do= of a command that has none: err = %v", err)
	}
}
