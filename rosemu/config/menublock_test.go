package config

import (
	"context"
	"testing"
	"time"
)

// TestValidateMenuBlock (forum34 D7): the commands under a menu line that
// RouterOS 6.49 lacks (/interface wireguard) are refused once, with the
// menu line at the menu word's column and the count in its hint, not
// each as "bad command name wireguard" at its column 1; a command of
// another menu after it is judged on its own (control).
func TestValidateMenuBlock(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	v := r.Validate(context.Background(), `/interface wireguard
add listen-port=13231 name=wireguard1
add listen-port=13232 name=wireguard2
/ip address
add address=10.66.0.1/24 interface=wireguard1
`, 2*time.Second)
	if len(v.Findings) != 2 {
		t.Fatalf("findings: %+v", v.Findings)
	}
	f := v.Findings[0]
	if f.Line != 1 || f.Col != 12 || f.Verdict != Refused || f.Msg != "bad command name wireguard" || f.Hint != "with the 2 commands under it, lines 2, 3, refused for the same menu" {
		t.Errorf("menu line: %+v", f)
	}
	if g := v.Findings[1]; g.Line != 5 || g.Verdict != Refused || g.Msg != "input does not match any value of interface" {
		t.Errorf("control: %+v", g)
	}
}
