package ipsec

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestSwanctl maps a site-to-site peer as RouterOS's menus give it (the
// default profile and proposal of RouterOS 7, a peer of its own) to
// swanctl.conf: IKEv2, the profile's ciphers, hash and groups in one IKE
// proposal, the proposal's CBC ciphers with their hash and PFS group and
// its GCM cipher in another, the policy's selectors with protocol and
// port, the secret keyed by the peer's address. The controls: a peer
// without identity, one with rsa-signature and a proposal with no
// integrity for a CBC cipher are left out with why.
func TestSwanctl(t *testing.T) {
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	if _, err := r.Run(t.Context(), `/ip ipsec profile add name=p1 enc-algorithm=aes-256,aes-128 hash-algorithm=sha256 dh-group=modp2048,ecp256 lifetime=8h
/ip ipsec proposal add name=pr1 enc-algorithms=aes-256-cbc,aes-128-gcm auth-algorithms=sha256,sha1 pfs-group=modp2048 lifetime=1h
/ip ipsec proposal add name=bad enc-algorithms=aes-128-cbc auth-algorithms=null
/ip ipsec peer add name=B address=198.51.100.2/32 local-address=198.51.100.1 exchange-mode=ike2 profile=p1 send-initial-contact=no
/ip ipsec peer add name=C address=198.51.100.3/32 exchange-mode=main
/ip ipsec peer add name=D address=198.51.100.4/32
/ip ipsec identity add peer=B secret=s3cret
/ip ipsec identity add peer=D auth-method=rsa-signature
/ip ipsec policy add src-address=192.168.1.0/24 dst-address=192.168.2.0/24 tunnel=yes peer=B proposal=pr1
/ip ipsec policy add src-address=192.168.1.0/24 dst-address=192.168.3.0/24 protocol=tcp dst-port=80 tunnel=yes peer=B proposal=bad
/ip ipsec policy add src-address=192.168.1.0/24 dst-address=192.168.4.0/24 peer=B
`); err != nil {
		t.Fatal(err)
	}
	peers := r.IPsecPeers()
	if len(peers) != 3 || len(peers[0].Policies) != 2 {
		t.Fatalf("peers %+v", peers)
	}
	conf, problems := Swanctl(peers)
	pid, pol := strings.TrimPrefix(peers[0].ID, "*"), peers[0].Policies[0].ID
	for _, want := range []string{
		"  peer-" + pid + " {\n    version = 2\n    local_addrs = 198.51.100.1\n    remote_addrs = 198.51.100.2\n    encap = yes\n",
		"    proposals = aes256-aes128-sha256-modp2048-ecp256\n    unique = never\n    rekey_time = 28800s\n",
		"      " + ChildName(pol) + " {\n        local_ts = 192.168.1.0/24\n        remote_ts = 192.168.2.0/24\n        mode = tunnel\n        esp_proposals = aes256-sha256-sha1-modp2048,aes128gcm16-modp2048\n        rekey_time = 3600s\n        start_action = start\n",
		"  ike-" + pid + " {\n    secret = \"s3cret\"\n    id = 198.51.100.2\n  }\n",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("no %q in\n%s", want, conf)
		}
	}
	if strings.Count(conf, "policy-") != 1 || strings.Count(conf, "peer-") != 1 {
		t.Errorf("a policy or peer that cannot run is in\n%s", conf)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.What+": "+p.Why)
	}
	for _, want := range []string{"peer C: no identity", "peer D: auth-method=rsa-signature", "policy " + peers[0].Policies[1].ID + ": proposal auth-algorithms=null"} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("no problem %q in %q", want, got)
		}
	}
}

// TestProposals: RouterOS's defaults (profile aes-128,3des sha1
// modp2048,modp1024; proposal aes-256/192/128-cbc sha1 modp1024) and an
// IKEv1 peer.
func TestProposals(t *testing.T) {
	p := config.IPsecPeer{EncAlgorithm: "aes-128,3des", HashAlgorithm: "sha1", DHGroup: "modp2048,modp1024"}
	if got, err := IKEProposal(p); err != nil || got != "aes128-3des-sha1-modp2048-modp1024" {
		t.Errorf("IKE proposal %q, %v", got, err)
	}
	c := config.IPsecTunnel{EncAlgorithms: "aes-256-cbc,aes-192-cbc,aes-128-cbc", AuthAlgorithms: "sha1", PFSGroup: "modp1024"}
	if got, err := ESPProposals(c); err != nil || got != "aes256-aes192-aes128-sha1-modp1024" {
		t.Errorf("ESP proposals %q, %v", got, err)
	}
	c.PFSGroup = "none"
	if got, _ := ESPProposals(c); got != "aes256-aes192-aes128-sha1" {
		t.Errorf("pfs-group=none: %q", got)
	}
	if _, err := IKEProposal(config.IPsecPeer{EncAlgorithm: "aes-128", HashAlgorithm: "sha1", DHGroup: "modp9999"}); err == nil {
		t.Error("an unknown group was mapped")
	}
	for v, want := range map[string]int{"1d": 86400, "30m": 1800, "1h30m": 5400, "8s": 8, "00:30:00": 1800} {
		if got, err := seconds(v); err != nil || got != want {
			t.Errorf("seconds(%q) = %d, %v", v, got, err)
		}
	}
	conf, _ := Swanctl([]config.IPsecPeer{{ID: "*5", Address: "10.0.0.1", ExchangeMode: "aggressive", Identity: true, AuthMethod: "pre-shared-key",
		Secret: "x", EncAlgorithm: "aes-128", HashAlgorithm: "sha1", DHGroup: "modp2048", Lifetime: "1d", DPDInterval: "disable-dpd",
		Policies: []config.IPsecTunnel{{ID: "*9", Src: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}, Dst: []netip.Prefix{netip.MustParsePrefix("10.2.0.0/16")},
			Protocol: "all", SrcPort: "any", DstPort: "any", EncAlgorithms: "aes-128-cbc", AuthAlgorithms: "sha1", PFSGroup: "none", Lifetime: "30m"}}}})
	if !strings.Contains(conf, "version = 1\n    aggressive = yes\n") || strings.Contains(conf, "dpd_delay") || !strings.Contains(conf, "policy-9 {") {
		t.Errorf("IKEv1 aggressive:\n%s", conf)
	}
}

// TestParseSAs reads swanctl's raw list of an established IKEv2 SA with
// one installed child (charon 5.9.8's own output).
func TestParseSAs(t *testing.T) {
	out := `list-sa event {peer-1 {uniqueid=2 version=2 state=ESTABLISHED local-host=198.51.100.1 local-port=4500 local-id=198.51.100.1 remote-host=198.51.100.2 remote-port=4500 remote-id=198.51.100.2 initiator=yes initiator-spi=e62703cee7a16b47 responder-spi=da57728f846bf6eb nat-remote=yes nat-any=yes encr-alg=AES_CBC encr-keysize=256 integ-alg=HMAC_SHA2_256_128 prf-alg=PRF_HMAC_SHA2_256 dh-group=MODP_2048 established=1160 rekey-time=11932 child-sas {policy-2-1 {name=policy-2 uniqueid=1 reqid=1 state=INSTALLED mode=TUNNEL protocol=ESP encap=yes spi-in=5baf9a19 spi-out=87d5b6b8 encr-alg=AES_CBC encr-keysize=256 integ-alg=HMAC_SHA2_256_128 bytes-in=1004 packets-in=19 use-in=1113 bytes-out=1560 packets-out=28 use-out=1113 rekey-time=2106 life-time=2800 install-time=1160 local-ts=[192.168.1.0/24] remote-ts=[192.168.2.0/24]}}}}
list-sas reply {}
`
	st := parseSAs(out)
	if len(st.Up) != 1 || st.Up[0] != "*2" {
		t.Errorf("up %q", st.Up)
	}
	if len(st.Peers) != 1 || st.Peers[0].ID != "*1" || st.Peers[0].State != "established" || st.Peers[0].Side != "initiator" || st.Peers[0].PH2Total != 1 {
		t.Errorf("peers %+v", st.Peers)
	}
	if len(st.SAs) != 2 || st.SAs[0].SPI != "87d5b6b8" || st.SAs[0].CurrentPackets != "28" || st.SAs[1].SrcAddress != "198.51.100.2" {
		t.Errorf("SAs %+v", st.SAs)
	}
}
