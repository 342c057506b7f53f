package config

import (
	"strings"
	"testing"
)

// TestDudeExportDB: a backup script that saves the Dude's database inside
// ":do { } on-error" compiles and takes its on-error branch (rosemu has
// no Dude database), writing no file; the settings stay as they were.
func TestDudeExportDB(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/system script add name=bk source={
  :do {
    /dude export-db backup-file="bk-dude.db"
    :log info "bk: saved"
  } on-error={ :log warning "bk: the Dude is not there" }
}
/system script run bk`)
	if !logHas(r, "bk: the Dude is not there") || logHas(r, "bk: saved") {
		t.Errorf("log %v; want the on-error branch only", r.Log())
	}
	if out := run(t, r, "/file print"); strings.Contains(out, "bk-dude") {
		t.Errorf("a file was written:\n%s", out)
	}
}

// TestAddressListWithoutAddress: the manual's DDoS protection declares its
// lists with "add list=ddos-attackers" and no address. The entry is
// taken and exported as written; the list exists and holds no address, so
// a rule matching it matches no packet. A second list with an address
// holds just that one (the control), and an explicit empty address stays
// refused.
func TestAddressListWithoutAddress(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall address-list
add list=ddos-attackers
add list=ddos-targets address=10.0.0.1
/ip firewall filter
add chain=forward action=drop src-address-list=ddos-attackers`)
	s := r.State()
	if l, ok := s.AddressLists["ddos-attackers"]; !ok || len(l) != 0 {
		t.Errorf("ddos-attackers = %v (present %v); want an empty list", l, ok)
	}
	if len(s.AddressLists["ddos-targets"]) != 1 {
		t.Errorf("ddos-targets = %v; want one address", s.AddressLists["ddos-targets"])
	}
	if out := run(t, r, "/ip firewall address-list export"); !strings.Contains(out, "add list=ddos-attackers\n") {
		t.Errorf("export:\n%s\nwant the entry as written", out)
	}
	if _, err := r.Run(t.Context(), `/ip firewall address-list add list=x address=""`); err == nil {
		t.Error(`address="" was taken`)
	}
}

// TestEmptyAddressListMatcher: real exports write src-address-list="" (and
// dst-) on port forwards, DNS drops and mangle rules, where a list was
// chosen and cleared in WinBox. Taken as no matcher: the rule goes to the
// kernel without one and works for every address. A named list stays a
// matcher (the control), and a list name with a comma is still refused.
func TestEmptyAddressListMatcher(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter
add action=drop chain=forward dst-port=53 protocol=udp src-address-list=""
add action=drop chain=forward dst-port=53 protocol=tcp src-address-list=kids
/ip firewall nat
add action=dst-nat chain=dstnat dst-port=443 protocol=tcp src-address-list="" dst-address-list="" to-addresses=192.168.88.10`)
	s := r.State()
	for _, p := range []map[string]string{s.Filter[0].Props, s.NAT[0].Props} {
		if _, ok := p["src-address-list"]; ok {
			t.Errorf("rule %v keeps an empty matcher", p)
		}
		if _, ok := p["dst-address-list"]; ok {
			t.Errorf("rule %v keeps an empty matcher", p)
		}
	}
	if s.Filter[1].Props["src-address-list"] != "kids" {
		t.Errorf("the named list was lost: %v", s.Filter[1].Props)
	}
	if _, err := r.Run(t.Context(), `/ip firewall filter add chain=forward src-address-list="a,b"`); err == nil {
		t.Error("a list name with a comma was taken")
	}
}
