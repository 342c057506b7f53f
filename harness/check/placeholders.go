package check

import (
	"fmt"
	"strconv"
	"strings"
)

// placeholderNote finds the refused lines whose refused value is a
// placeholder a user put in before pasting (address=my.LAN.block/24,
// to-addresses=Server.IP, listen-port=port, 123.456.789.123): an address,
// port or range argument written with words or with an octet above 255.
// RouterOS refuses those lines, so the LAN they number, the servers and
// ports they name are not in what check reads, and "no problem found"
// said of the rest read as a verdict on the whole export (realcheck33
// C6). The note names them; unprobedLANs qualifies the verdict.
func (p *Plan) placeholderNote() {
	_, refused := splitAside(p.Aside)
	var seen []string
	for _, a := range refused {
		_, arg, ok := strings.Cut(a.Reason, "invalid value for argument ")
		if !ok {
			continue
		}
		arg, _, _ = strings.Cut(arg, " ")
		c := p.commandAt(a.Line)
		if c == nil || !addressOrPortArg(arg) {
			continue
		}
		if v := c.Value(arg); placeholderValue(v) {
			seen = append(seen, fmt.Sprintf("line %d %s=%s", a.Line, arg, v))
		}
	}
	if len(seen) == 0 {
		return
	}
	p.placeholders = seen
	p.Notes = append(p.Notes, fmt.Sprintf("the export has placeholders instead of values (%s): RouterOS refuses those lines, so what they stand for (the addresses of a LAN, a server, a port) is not in what check reads and cannot be judged; an export with the real values can be (hide passwords and keys, not addresses)", strings.Join(seen, ", ")))
}

// addressOrPortArg reports whether arg takes an IP address, a port or a
// range of them. Not a gateway, which may name an interface
// (gateway=pppoe-out1), nor a MAC address: a masked MAC (XX:XX:...,
// __REDACTED__) hides nothing check judges (an earlier round's exports
// read as placeholders with both).
func addressOrPortArg(arg string) bool {
	if strings.Contains(arg, "mac") {
		return false
	}
	for _, s := range []string{"address", "addresses", "port", "ports", "ranges", "network"} {
		if arg == s || strings.HasSuffix(arg, "-"+s) {
			return true
		}
	}
	return false
}

// placeholderValue reports whether v, refused as an address or port, is a
// word or a made-up dotted address rather than a mistyped value: it holds
// a letter, or a dotted number has a part above 255.
func placeholderValue(v string) bool {
	v = strings.TrimPrefix(v, "!")
	if strings.ContainsFunc(v, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) {
		return true
	}
	host, _, _ := strings.Cut(v, "/")
	parts := strings.Split(host, ".")
	if len(parts) != 4 {
		return false
	}
	for _, s := range parts {
		if n, err := strconv.Atoi(s); err == nil && n > 255 {
			return true
		}
	}
	return false
}
