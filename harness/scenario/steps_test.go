package scenario

import (
	"strings"
	"testing"
)

func TestParseSteps(t *testing.T) {
	steps, err := ParseSteps("cli", []byte("probe: tcp\nfrom: client1\nto: router.wan:12566\nexpect:\n  result: ok\n"))
	if err != nil || len(steps) != 1 || steps[0].Probe != TCP || steps[0].Expect.Result != "ok" || steps[0].Line != 1 {
		t.Fatalf("one mapping: %+v %v", steps, err)
	}
	steps, err = ParseSteps("cli", []byte("- {probe: http, from: peer, to: 'router.wan:80', id: a}\n- {probe: ping, from: client1, to: server}\n"))
	if err != nil || len(steps) != 2 || steps[1].Line != 2 {
		t.Fatalf("a list: %+v %v", steps, err)
	}
	for _, c := range []struct{ in, want string }{
		{"", "cli: no step given"},
		{"  \n", "cli: no step given"},
		{"tcp", "cli:1: a step is a mapping"},
		{"probe: tcp\nfrom: client1\nto: server:80\ncolour: red\n", `cli:4: unknown step field "colour"`},
		{"probe: tcp\nfrom: client1\n", "cli:1: tcp probe needs both from and to"},
		{"- {probe: iperf, from: c, to: 's:1'}\n- {probe: iperf, from: c, to: 's:1', expect: {ratio_to: x, min: 0.8}}\n", `cli:2: ratio_to "x" names no earlier step`},
		{"probe: tcp\nfrom: [\n", "cli: yaml"},
	} {
		_, err := ParseSteps("cli", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseSteps(%q) = %v, want %q", c.in, err, c.want)
		}
	}
}
