package config

import (
	"context"
	"strings"
	"testing"
)

// TestUserManagerStored: a hotspot export's User Manager (settings, a
// router, a limitation, a profile, a user and its profile) is taken on 7,
// exported, taken again and reported; a user profile naming a missing
// profile and the menu on 6 are refused.
func TestUserManagerStored(t *testing.T) {
	src := `/user-manager
set enabled=yes
/user-manager router
add address=127.0.0.1 name=local shared-secret=radsecret
/user-manager limitation
add download-limit=1073741824 name=1GB upload-limit=0 uptime-limit=1h
/user-manager profile
add name=hourly name-for-users=Hourly price=1 validity=1h
/user-manager profile-limitation
add limitation=1GB profile=hourly
/user-manager user
add name=guest1 password=g1pass shared-users=2
/user-manager user-profile
add profile=hourly user=guest1
`
	r := runShape(t, "7.16.2", []string{"ether1"}, src)
	exp := body(r.Export())
	for _, want := range []string{"/user-manager\nset enabled=yes\n", "add limitation=1GB profile=hourly", "add profile=hourly user=guest1"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if got := body(runShape(t, "7.16.2", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	n := 0
	for _, ne := range r.NotEnforced() {
		if strings.HasPrefix(ne.Path, "/user-manager") {
			n += ne.Count
		}
	}
	if n < 6 {
		t.Errorf("%d User Manager entries reported: %v", n, r.NotEnforced())
	}
	if _, err := r.Run(context.Background(), "/user-manager user-profile add profile=nosuch user=guest1"); err == nil {
		t.Errorf("a missing profile was taken")
	}
	v6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	if _, err := v6.Run(context.Background(), "/user-manager set enabled=yes"); err == nil {
		t.Errorf("6 took /user-manager")
	}
}

// TestUserManagerV6Stored: RouterOS 6's /tool user-manager (the built-in
// admin customer, the database path, a profile with its limitation, a
// router and a user) is taken, exported, taken again and reported; 7
// refuses the menu.
func TestUserManagerV6Stored(t *testing.T) {
	src := `/tool user-manager customer
set admin access=own-routers,own-users
/tool user-manager database
set db-path=um
/tool user-manager profile
add name=1h owner=admin validity=1h
/tool user-manager profile limitation
add name=lim1 owner=admin rate-limit-rx=2M uptime-limit=1h
/tool user-manager profile profile-limitation
add limitation=lim1 profile=1h
/tool user-manager router
add ip-address=127.0.0.1 name=local shared-secret=123
/tool user-manager user
add password=x username=user1
`
	r := runShape(t, "6.49.10", []string{"ether1"}, src)
	exp := body(r.Export())
	for _, want := range []string{"/tool user-manager customer\nset admin access=own-routers,own-users\n", "add limitation=lim1 profile=1h", "username=user1"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if got := body(runShape(t, "6.49.10", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	v7 := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := v7.Run(context.Background(), "/tool user-manager database set db-path=x"); err == nil {
		t.Errorf("7 took /tool user-manager")
	}
}
