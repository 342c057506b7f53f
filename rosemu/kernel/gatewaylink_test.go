package kernel

import "testing"

// TestGatewayLinkIsLinkName: a route's gateway%interface names the
// RouterOS interface; the route goes on the Linux interface carrying it.
func TestGatewayLinkIsLinkName(t *testing.T) {
	if got, want := gatewayLink("192.168.80.2%docker-infrastructure-br"), LinkName("docker-infrastructure-br"); got != want || got == "docker-infrastructure-br" {
		t.Errorf("gatewayLink = %q, want %q", got, want)
	}
	if got := gatewayLink("10.0.0.1%ether1"); got != "ether1" {
		t.Errorf("gatewayLink(ether1) = %q", got)
	}
	if got := gatewayLink("10.0.0.1"); got != "" {
		t.Errorf("gatewayLink without interface = %q", got)
	}
}
