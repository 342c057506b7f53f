package lab

import (
	"strings"
	"testing"
)

func TestParsePPPoEISP(t *testing.T) {
	lab := strings.Replace(rolesLab, "isp: {kind: cgnat, customer: cgn}",
		"isp: {kind: pppoe, customer: cgn, user: home, password: s3cret, ac-name: isp1, dns: [198.51.100.53]}", 1)
	s, err := Parse("t.yaml", []byte(lab))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, n := range s.Nodes {
		if n.Name == "isp" {
			got = strings.Join(AgentArgs(n), " ")
			if !n.Forward {
				t.Error("the pppoe ISP does not forward")
			}
		}
	}
	for _, want := range []string{"--serve pppoe", "--pppoe-subnet 100.64.0.0/24", "--pppoe-offer 100.64.0.2",
		"--pppoe-user home", "--pppoe-password s3cret", "--pppoe-antispoof=true", "--pppoe-ac-name isp1", "--pppoe-dns 198.51.100.53"} {
		if !strings.Contains(got, want) {
			t.Errorf("AgentArgs(isp) = %s\nwant it to contain %s", got, want)
		}
	}
	if _, err := Parse("t.yaml", []byte(strings.Replace(lab, "dns: [198.51.100.53]", "dns: [1.1.1.1, 8.8.8.8, 9.9.9.9]", 1))); err == nil || !strings.Contains(err.Error(), "at most 2 DNS servers") {
		t.Errorf("three DNS servers: err = %v", err)
	}
}
