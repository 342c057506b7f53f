package agentcmd

import (
	"log"
	"net"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// TestFTP: the probe logs in to the lab's FTP server, takes the PASV
// address and fetches the listing, a whoami line of the data connection.
// A whoami server on the same path is no FTP server: wrong answer (the
// control).
func TestFTP(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go serveFTP("server", ln, log.Printf)
	r := probeFTP(t.Context(), ln.Addr().String(), 2*time.Second)
	if r.Result != probe.OK || r.ServerName != "server" || r.ServerSaw != "127.0.0.1" || r.Passive == "" {
		t.Errorf("ftp = %+v", r)
	}
	if err := r.Validate(probe.KindFTP); err != nil {
		t.Errorf("validate: %v", err)
	}
	w, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	go serveWhoamiTCP("server", w, log.Printf)
	if r := probeFTP(t.Context(), w.Addr().String(), time.Second); r.Result != probe.WrongAnswer {
		t.Errorf("ftp to a whoami server = %+v, want wrong-answer", r)
	}
}
