package check

import (
	"bytes"
	"strings"
	"testing"
)

// TestBrokenWithoutFindingIsNoProblemNowhere (forum38 D2, whose list case
// the rules now find): a forward the rules find nothing wrong with (dst-nat
// on the static WAN address, a hairpin rule) whose two paths the lab
// broke, for a cause the check does not know: the console, check.md, check.html and
// check.json say "broken, cause not identified" for it, never "no problem
// found". Control: the same forward whose paths worked keeps "no problem
// found".
func TestBrokenWithoutFindingIsNoProblemNowhere(t *testing.T) {
	p := loadText(t, "# by RouterOS 7.16.2\n/ip address\nadd address=192.168.88.1/24 interface=ether2\nadd address=203.0.113.2/24 interface=ether1\n"+wanRouteMasq+
		"add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=27015 protocol=udp to-addresses=192.168.88.10\n"+
		"add action=masquerade chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.10 out-interface=ether2\n")
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	for _, f := range found {
		if f.Forward == 0 && f.Cause != "" {
			t.Fatalf("the rules find a cause (%s): the case must have none", f.Cause)
		}
	}
	run := func(result string) (console, md, html, js string) {
		outs := []Outcome{
			{Probe: Probe{Forward: 0, Path: "internet", Phase: "before", From: "peer", To: "router.wan:27015"}, Result: result},
			{Probe: Probe{Forward: 0, Path: "hairpin:ether2", Phase: "before", From: "client1", To: "router.wan:27015"}, Result: result},
		}
		res := &Result{Found: found, Fix: fx, Outcomes: outs}
		var b bytes.Buffer
		PrintLabFindings(&b, p, found, fx, outs)
		d := p.Document(res, "rosemu")
		h, err := d.HTML()
		if err != nil {
			t.Fatal(err)
		}
		j, err := d.JSON()
		if err != nil {
			t.Fatal(err)
		}
		return b.String(), string(d.Markdown()), string(h), string(j)
	}
	console, md, html, js := run("timeout")
	const want = "broken, cause not identified: 2 path(s) failed in the lab"
	for name, text := range map[string]string{"console": console, "check.md": md, "check.html": html, "check.json": js} {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", name, want, text)
		}
		if strings.Contains(strings.ToLower(text), "no problem found") {
			t.Errorf("%s says no problem found:\n%s", name, text)
		}
	}
	// A finding without a cause (an aside the rules alone cannot judge)
	// explains nothing: the broken forward still reads unexplained, and
	// nothing says no problem found.
	found = append(found, Finding{Forward: 0, Path: "internet", Detail: "the server's own firewall is not in the export"})
	console, md, html, js = run("timeout")
	for name, text := range map[string]string{"console": console, "check.md": md, "check.html": html, "check.json": js} {
		if !strings.Contains(text, want) || strings.Contains(strings.ToLower(text), "no problem found") {
			t.Errorf("%s with a cause-less aside: want %q and no \"no problem found\":\n%s", name, want, text)
		}
	}
	found = found[:len(found)-1]
	console, md, _, _ = run("ok")
	if !strings.Contains(md, "Diagnosis: no problem found.") || strings.Contains(md+console, "cause not identified") {
		t.Errorf("control, every path ok:\n%s\n%s", console, md)
	}
}
