package rosemucmd

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/rosconsole"
	"github.com/chrlab/chrlab/rosemu/config"
)

// The vm guest's serial console takes the harness's console dialogue as a
// fresh CHR does, and the line typed after it runs on the router.
func TestSerialConsoleDialogue(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, DefaultDHCPClient: true})
	sc := &serialConsole{r: r, version: "7.16.2", in: bufio.NewReader(b), out: b}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go sc.serve(ctx)
	var tr strings.Builder
	out, err := rosconsole.Run(ctx, a, rosconsole.Options{Poke: 200 * time.Millisecond, Transcript: &tr},
		`/ip dhcp-client remove [find]; :log info "typed on the console"`)
	if err != nil {
		t.Fatalf("dialogue: %v\n%q", err, tr.String())
	}
	for _, want := range []string{"MikroTik Login: ", "[Y/n]: ", "Change your password (Ctrl-C to skip)", "new password> ", "[admin@MikroTik] > "} {
		if !strings.Contains(tr.String(), want) {
			t.Errorf("the console never showed %q:\n%q", want, tr.String())
		}
	}
	if dc, _, _ := r.Command(ctx, "/ip/dhcp-client/print", nil); len(dc) != 0 {
		t.Errorf("the typed line did not run: clients %v (output %q)", dc, out)
	}
	// Negative control: a wrong user is refused and asked again.
	a2, b2 := net.Pipe()
	defer a2.Close()
	sc2 := &serialConsole{r: r, version: "7.16.2", in: bufio.NewReader(b2), out: b2}
	go sc2.serve(ctx)
	err = rosconsole.Login(ctx, a2, rosconsole.Options{User: "root", Poke: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "Login failed") {
		t.Errorf("login as root: %v", err)
	}
}
