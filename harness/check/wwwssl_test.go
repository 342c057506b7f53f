package check

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// WebFig over HTTPS turned on (www-ssl with a certificate, disabled=no) on
// 443, and a forward of 443 by dst-address-type=local without the LAN
// guard: a LAN client opening https://192.168.88.1 reaches the server, not
// the router. www-ssl was always taken for off (it is by default, without a
// certificate), so that was "no problem found". Without the set, or with
// www-ssl moved off 443, there is no finding.
func TestForwardTakesTheRoutersWWWSSL(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeWANMasq + `add action=dst-nat chain=dstnat dst-address-type=local dst-port=443 protocol=tcp to-addresses=192.168.88.70
add action=masquerade chain=srcnat dst-address=192.168.88.70 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.1
/ip service
%SET%
`
	for _, tt := range []struct {
		set  string
		want bool
	}{
		{"set www-ssl certificate=webfig disabled=no", true},
		{"set www-ssl certificate=webfig disabled=no port=443", true},
		{"set www-ssl certificate=webfig disabled=no port=8443", false},
		{"set www-ssl disabled=no", false},
		{"set telnet disabled=yes", false},
	} {
		p := importText(t, strings.Replace(text, "%SET%", tt.set, 1))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == TakesOwnAddress })
		if got != tt.want {
			t.Errorf("%s: finding %v, want %v: %+v", tt.set, got, tt.want, found)
		}
	}
}

// forum32 D3: rosemu refuses a service's certificate that does not exist,
// and an export has no certificates: check sets the parameter aside, not
// the line, so the lab's www-ssl is still turned on (disabled=no kept).
func TestServiceCertificateSetAside(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeWANMasq + `/ip route
add gateway=203.0.113.1
/ip service
set www-ssl certificate=webfig disabled=no
set api-ssl certificate=none
`
	p := importText(t, text)
	p.Refusals(context.Background())
	if !strings.Contains(p.RSC, "set www-ssl disabled=no") || strings.Contains(p.RSC, "certificate=webfig") {
		t.Errorf("lab configuration:\n%s", p.RSC)
	}
	var asides []string
	for _, a := range p.Aside {
		asides = append(asides, a.Menu+" "+a.Param+": "+a.Reason)
	}
	if !slices.ContainsFunc(asides, func(s string) bool { return strings.HasPrefix(s, "ip service certificate: certificate=webfig") }) ||
		slices.ContainsFunc(asides, func(s string) bool { return strings.Contains(s, "certificate=none") }) {
		t.Errorf("set aside:\n%s", strings.Join(asides, "\n"))
	}
}
