package config

import (
	"context"
	"strings"
	"testing"
)

// TestIPsecProposalEmptyAuth: RouterOS writes a GCM proposal with no
// separate integrity algorithm as auth-algorithms="" (a 7.6 hAP lite's
// "add auth-algorithms=\"\" disabled=no enc-algorithms=aes-256-gcm
// lifetime=1h name=fortigate pfs-group=ecp521" in a FortiGate tutorial, and
// "add auth-algorithms=\"\" enc-algorithms=aes-256-gcm lifetime=1h name=\"
// in a 7.x export beside an Azure proposal). rosemu refused the empty set
// ("invalid value for argument auth-algorithms"), and with it every policy
// naming the proposal (realcheck37 D1). The empty set exports as given and
// re-imports; a CBC proposal without integrity still fails where the
// tunnel is built (rosemu/service/ipsec).
func TestIPsecProposalEmptyAuth(t *testing.T) {
	exportOf(t, "7.16.2", "/ip ipsec proposal add auth-algorithms=\"\" enc-algorithms=aes-256-gcm lifetime=1h name=fortigate pfs-group=ecp521\n",
		"add auth-algorithms=\"\" enc-algorithms=aes-256-gcm lifetime=1h name=fortigate \\\n")
	_, err := New(Options{Ports: ports, Version: "7.16.2"}).Run(context.Background(), "/ip ipsec proposal add auth-algorithms=sha3 name=x\n")
	if err == nil || !strings.Contains(err.Error(), "invalid value for argument auth-algorithms") {
		t.Errorf("auth-algorithms=sha3: %v", err)
	}
}
