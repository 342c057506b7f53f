package config

import (
	"context"
	"testing"
	"time"
)

// TestValidateEnvSameText: in validate (and the load check), a :global
// declared earlier in the same text is listed by /system script
// environment, as it is when the router runs the text. The control: a
// name never declared is still "no such item".
func TestValidateEnvSameText(t *testing.T) {
	src := ":global myVar true\n:log info (\"envmenu \" . [/system script environment get [find name=myVar] value])\n:put [/system script environment print count-only where name=myVar]\n"
	v := New(Options{Ports: ports}).Validate(context.Background(), src, 2*time.Second)
	if n := v.Count(Refused); n != 0 {
		t.Errorf("refused %d: %+v", n, v.Findings)
	}
	ctl := ":global myVar true\n:log info (\"envmenu \" . [/system script environment get [find name=otherVar] value])\n"
	v = New(Options{Ports: ports}).Validate(context.Background(), ctl, 2*time.Second)
	if v.Count(Refused) != 1 || v.Findings[len(v.Findings)-1].Msg != "no such item" {
		t.Errorf("control: %+v", v.Findings)
	}
}
