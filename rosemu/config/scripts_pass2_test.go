package config

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/files"
	"time"
)

// runScript runs src as a script (as /system script run does).
func runScript(t *testing.T, r *Router, src string) {
	t.Helper()
	if err := r.RunScript(context.Background(), "t", src, nil); err != nil {
		t.Fatalf("script: %v", err)
	}
}

// Address-list entries added with dynamic=yes, in the shape of eworm's
// netwatch-notify (a host name resolved through a dynamic entry with a
// timeout) and ipv6-update (a dynamic placeholder without one): the
// entries are listed as dynamic, not exported, and the one with a timeout
// says how long it has left. dynamic=yes was "bad parameter dynamic"
// (IPv6) or "invalid value" (IPv4) before.
func TestAddressListDynamicYes(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	runScript(t, r, `/ip/firewall/address-list/add address=192.0.2.7 list=resolve dynamic=yes timeout=30s
/ipv6/firewall/address-list/add list=ipv6-pool-isp address=:: comment=ipv6-pool-isp dynamic=yes
/ip/firewall/address-list/add address=192.0.2.8 list=static-one
:global Dyn [/ip/firewall/address-list/get [find where list=resolve] dynamic]
:global Left [/ip/firewall/address-list/get [find where list=resolve] timeout]
:global Dyn6 [/ipv6/firewall/address-list/get [find where list=ipv6-pool-isp] dynamic]
:global Stat [/ip/firewall/address-list/get [find where list=static-one] dynamic]`)
	out := run(t, r, `:put ($Dyn . " " . $Dyn6 . " " . $Stat . " " . ($Left > 25s))`)
	if strings.TrimSpace(out) != "true true false true" {
		t.Errorf("dynamic flags, timeout left: %q", out)
	}
	exp := r.Export()
	if strings.Contains(exp, "resolve") || strings.Contains(exp, "ipv6-pool-isp") || !strings.Contains(exp, "static-one") {
		t.Errorf("export keeps only the static entry:\n%s", exp)
	}
}

// A DNS record added with place-before, as eworm's dhcp-to-dns adds the
// records of its leases before a marker entry ("--- dhcp-to-dns above
// ---"): the record lands above the marker. place-before was "bad
// parameter place-before" before.
func TestDNSStaticPlaceBefore(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	runScript(t, r, `/ip/dns/static/add name=router.lan address=192.168.88.1
/ip/dns/static/add name=marker.invalid type=NXDOMAIN comment="--- dhcp-to-dns above ---" disabled=yes
/ip/dns/static/add name=last.lan address=192.168.88.9
:local PlaceBefore ([ /ip/dns/static/find where comment="--- dhcp-to-dns above ---" disabled ]->0)
/ip/dns/static/add name=laptop.lan type=A address=192.168.88.20 ttl=5m comment=managed place-before=$PlaceBefore
:global Order ""
:foreach i in=[/ip/dns/static/find] do={ :set Order ($Order . [/ip/dns/static/get $i name] . ",") }`)
	if out := strings.TrimSpace(run(t, r, ":put $Order")); out != "router.lan,laptop.lan,marker.invalid,last.lan," {
		t.Errorf("order: %q", out)
	}
}

// A maintenance script that reboots at its end, in the shape of eworm's
// packages-update ("/system/reboot;" after its checks) and of nightly
// reboot schedulers: the script stops at the reboot, what it did before
// stays, a :do on-error around it does not take it (a reboot is not the
// script's error), and the log says that rosemu did not reboot.
// "/system reboot" was "bad command name reboot" before: none of the
// script ran.
func TestScriptSystemReboot(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	err := r.RunScript(context.Background(), "packages-update", `/ip/firewall/address-list/add list=before-reboot address=192.0.2.1
:do { /system/reboot } on-error={ /ip/firewall/address-list/add list=caught address=192.0.2.2 }
/ip/firewall/address-list/add list=after-reboot address=192.0.2.3`, nil)
	if err == nil || !strings.Contains(err.Error(), "interrupted: system reboot") {
		t.Errorf("run: %v", err)
	}
	exp := r.Export()
	if !strings.Contains(exp, "before-reboot") || strings.Contains(exp, "caught") || strings.Contains(exp, "after-reboot") {
		t.Errorf("export:\n%s", exp)
	}
	var logged bool
	for _, e := range r.Log() {
		if e.Topics == "system,warning" && strings.HasPrefix(e.Msg, "system reboot asked: rosemu does not reboot") {
			logged = true
		}
	}
	if !logged {
		t.Errorf("log: %+v", r.Log())
	}
	if out, err := r.Run(context.Background(), `:do { /system shutdown } on-error={ :put caught }; :put after`); err == nil || out != "" {
		t.Errorf("shutdown: %q, %v", out, err)
	}
}

// validate reports a reboot line as not enforced, not as refused.
func TestValidateSystemReboot(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	v := r.Validate(context.Background(), "/ip firewall address-list add list=a address=192.0.2.1\n/system reboot\n", 10*time.Second)
	if len(v.Findings) != 2 || v.Findings[1].Verdict != NotEnforced || !strings.HasPrefix(v.Findings[1].Msg, "/system reboot: ") {
		t.Errorf("findings: %+v", v.Findings)
	}
}

// Files a script writes and reads, in the shapes of eworm's scripts
// (7.13+): /file add name= contents= (a "done" marker, a state file),
// /file set <file> contents=, /file read chunk-size= offset= file=
// as-value ->"data" read in chunks (FileGet), and [ /file get $name ] as a
// whole item. add, set and read were "bad command name" before, and a get
// without a value name was "missing value for argument value-name".
func TestScriptFileAddSetRead(t *testing.T) {
	store := &files.Store{}
	r := New(Options{Ports: ports, Version: "7.21", Files: store})
	runScript(t, r, `/file/add type="directory" name="tmpfs/state"
/file/add name="tmpfs/state/wan.txt" contents="198.51.100.7"
/file/set "tmpfs/state/wan.txt" contents="198.51.100.9 up"
:local FileSize [ /file/get "tmpfs/state/wan.txt" size ]
:local Return ""
:local VarSize 0
:while ($VarSize < $FileSize) do={
  :set Return ($Return . ([ /file/read offset=$VarSize chunk-size=5 file="tmpfs/state/wan.txt" as-value ]->"data"))
  :set VarSize [ :len $Return ]
}
:global Read $Return
:global Whole ([ /file/get "tmpfs/state/wan.txt" ]->"size")
:do { /file/add name="tmpfs/state/wan.txt" } on-error={ :global Dup "refused" }`)
	out := strings.TrimSpace(run(t, r, `:put ($Read . "|" . $Whole . "|" . $Dup)`))
	if out != "198.51.100.9 up|15|refused" {
		t.Errorf("read back: %q", out)
	}
	if data, err := store.ReadFile("tmpfs/state/wan.txt"); err != nil || string(data) != "198.51.100.9 up" {
		t.Errorf("store: %q %v", data, err)
	}
}

// enable and disable of menus without add: eworm's bridge-port-to
// disables the ports it moves with "/interface/ethernet/disable $Disable"
// and enables them after. This was "bad command name disable".
func TestEthernetDisableEnable(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	runScript(t, r, `:local Disable [ /interface/ethernet/find where name=ether3 ]
/interface/ethernet/disable $Disable
:global Off [ /interface/ethernet/get ether3 disabled ]
/interface/ethernet/enable $Disable
:global On [ /interface/ethernet/get ether3 disabled ]`)
	if out := strings.TrimSpace(run(t, r, `:put ($Off . " " . $On)`)); out != "true false" {
		t.Errorf("disabled after disable, enable: %q", out)
	}
}

// get without a value name returns the item as an array on RouterOS 7,
// as eworm's scripts read items ([ /system/resource/get ]->"version",
// $CertVal->"name"); it was "missing value for argument value-name". A
// 6.x router still asks for the value name.
func TestWholeItemGet(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	runScript(t, r, `/ip/address/add address=192.0.2.1/24 interface=ether1 comment=uplink
:local A [ /ip/address/get [ find where interface=ether1 ] ]
:global Got (($A->"address") . " " . ($A->"interface") . " " . ($A->"comment") . " " . [:typeof ($A->".id")] . " " . ($A->"disabled"))
:global Ident ([ /system/identity/get ]->"name")
:global Ver ([ /system/resource/get ]->"board-name")`)
	if out := strings.TrimSpace(run(t, r, `:put ($Got . "|" . $Ident . "|" . $Ver)`)); out != "192.0.2.1/24 ether1 uplink id false|MikroTik|"+BoardName {
		t.Errorf("whole get: %q", out)
	}
	r6 := New(Options{Ports: ports, Version: "6.49.10"})
	if _, err := r6.Run(context.Background(), ":put [/system identity get]"); err == nil || !strings.Contains(err.Error(), "value-name") {
		t.Errorf("6.x whole get: %v", err)
	}
}

// testCertPEM makes a self-signed certificate valid for days, as PEM.
func testCertPEM(t *testing.T, cn string, days int) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(4242), Subject: pkix.Name{CommonName: cn, Organization: []string{"Lab"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Duration(days) * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, SubjectKeyId: []byte{1, 2, 3, 4},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// /certificate as eworm's CertificateAvailable and check-certificates
// use it: an empty store on a fresh CHR, a PEM file imported as
// <file>_0 with its common-name, skid and expiry, found by common-name
// and by "expires-after<3w", read whole, renamed and removed; not
// exported. /certificate find, get and import were "bad command name".
func TestScriptCertificateImportFind(t *testing.T) {
	store := &files.Store{}
	if err := store.WriteFile("lab-root.pem", testCertPEM(t, "Lab Root X1", 10)); err != nil {
		t.Fatal(err)
	}
	r := New(Options{Ports: ports, Version: "7.21", Files: store})
	runScript(t, r, `:global Before [ :len [ /certificate/find where common-name="Lab Root X1" ] ]
:local Result [ /certificate/import file-name="lab-root.pem" passphrase="" as-value ]
:global Imported ($Result->"certificates-imported")
:global Failures ($Result->"decryption-failures")
:local CertVal [ /certificate/get [ find where common-name="Lab Root X1" ] ]
:global Name ($CertVal->"name")
:global Skid ($CertVal->"skid")
:global Soon [ :len [ /certificate/find where !revoked expires-after<3w !private-key ] ]
:global Later [ :len [ /certificate/find where expires-after<1w ] ]
/certificate/set [ find where name="lab-root.pem_0" ] name="Lab-Root"
:global Renamed [ /certificate/get [ find where skid="01020304" ] name ]
:global Crl [ /certificate/settings/get crl-download ]`)
	out := strings.TrimSpace(run(t, r, `:put ($Before . " " . $Imported . " " . $Failures . " " . $Name . " " . $Skid . " " . $Soon . " " . $Later . " " . $Renamed . " " . $Crl)`))
	if out != "0 1 0 lab-root.pem_0 01020304 1 0 Lab-Root false" {
		t.Errorf("certificate: %q", out)
	}
	if exp := r.Export(); strings.Contains(exp, "Lab-Root") {
		t.Errorf("a certificate exported:\n%s", exp)
	}
	run(t, r, `/certificate/remove [ find where name~"^Lab" ]`)
	if out := strings.TrimSpace(run(t, r, `:put [ :len [ /certificate/find ] ]`)); out != "0" {
		t.Errorf("after remove: %q", out)
	}
}

// /certificate builtin is an empty store in rosemu: eworm's
// CertificateAvailable finds no root there ("bad command name builtin"
// before).
func TestCertificateBuiltinEmpty(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	if out := strings.TrimSpace(run(t, r, `:put [ :len [ /certificate/builtin/find where common-name="ISRG Root X1" ] ]`)); out != "0" {
		t.Errorf("builtin: %q", out)
	}
}

// /ipv6 dhcp-client release and renew, as eworm's ppp-on-up writes them:
// the reference is checked (an empty find releases nothing) and the
// stored client stays; "bad command name release" before.
func TestIPv6DHCPClientRelease(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.21"})
	runScript(t, r, `/ipv6/dhcp-client/add interface=ether1 request=prefix pool-name=isp
/ipv6/dhcp-client/release [ find where interface=ether1 !disabled ]
/ipv6/dhcp-client/renew [ find where interface=ether2 ]`)
	if _, err := r.Run(context.Background(), "/ipv6 dhcp-client release 7"); err == nil {
		t.Error("release of no such item taken")
	}
	if !strings.Contains(r.Export(), "pool-name=isp") {
		t.Errorf("export:\n%s", r.Export())
	}
}
