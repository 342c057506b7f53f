package api

import (
	"bufio"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
)

// These tests speak the wire protocol directly, for what the go-routeros
// client cannot express: commands before login, pipelining, !empty (which
// the client skips), !fatal (which its reader rejects) and framing limits.

func TestRawBeforeLogin(t *testing.T) {
	rc := dialRaw(t, &Server{Device: newTableDevice()})
	rc.send(natPath+"/print", ".tag=a")
	rc.expect("!trap @a [{`message` `not logged in`}]")
	rc.expect("!done @a []")
	rc.send("/cancel")
	rc.expect("!trap @ [{`message` `not logged in`}]")
	rc.expect("!done @ []")
	// A legacy challenge login is refused like a wrong password, and the
	// successful login's !done carries no =ret= (which would make clients
	// fall back to the challenge).
	rc.send("/login", "=name=admin", "=response=00112233445566778899aabbccddeeff00")
	rc.expect("!trap @ [{`message` `invalid user name or password (6)`}]")
	rc.expect("!done @ []")
	rc.send("/login", "=name=admin", "=password=")
	rc.expect("!done @ []")
	rc.send(natPath+"/print", "=count-only=", ".tag=b")
	rc.expect("!done @b [{`ret` `4`}]")
}

func TestRawPipelinedTags(t *testing.T) {
	rc := dialRaw(t, &Server{Device: newTableDevice()})
	// Everything is sent before any reply is read.
	rc.send("/login", "=name=admin", "=password=", ".tag=l")
	rc.send(natPath+"/print", "?comment", "=.proplist=.id", ".tag=t1")
	rc.send(natPath+"/add", "=chain=dstnat", ".tag=t2")
	rc.send(natPath+"/remove", "=.id=*99", ".tag=t3")
	rc.send("/cancel", ".tag=t4")
	rc.send(natPath+"/print", "?chain=dstnat", "?action=accept", "=.proplist=.id")
	rc.expect("!done @l []")
	rc.expect("!re @t1 [{`.id` `*1`}]")
	rc.expect("!done @t1 []")
	rc.expect("!done @t2 [{`ret` `*11`}]")
	rc.expect("!trap @t3 [{`category` `0`} {`message` `no such item (4)`}]")
	rc.expect("!done @t3 []")
	rc.expect("!done @t4 []")
	rc.expect("!re @ [{`.id` `*11`}]")
	rc.expect("!done @ []")
}

func TestRawEmptyReply(t *testing.T) {
	for _, tc := range []struct {
		version   string
		wantEmpty bool
	}{{"", false}, {"7.16.2", false}, {"7.17.2", false}, {"6.49.10", false}, {"7.18", true}, {"7.19.4", true}, {"8.0", true}} {
		rc := dialRaw(t, &Server{Device: newTableDevice(), Version: tc.version})
		rc.send("/login", "=name=admin", "=password=")
		rc.expect("!done @ []")
		rc.send(natPath+"/print", "?chain=none", ".tag=e")
		if tc.wantEmpty {
			rc.expect("!empty @e []")
		}
		rc.expect("!done @e []")
		// A print with rows never has !empty; a count of zero is data in
		// =ret= and has none either.
		rc.send(natPath+"/print", "?.id=*1", "=.proplist=.id", ".tag=f")
		rc.expect("!re @f [{`.id` `*1`}]")
		rc.expect("!done @f []")
		rc.send(natPath+"/print", "?chain=none", "=count-only=", ".tag=g")
		rc.expect("!done @g [{`ret` `0`}]")
	}
}

func TestRawBadVersion(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer l.Close()
	srv := &Server{Device: newTableDevice(), Version: "seven"}
	if err := srv.Serve(t.Context(), l); err == nil || !strings.Contains(err.Error(), `"seven"`) {
		t.Fatalf("Serve with version %q: %v, want a parse error naming it", srv.Version, err)
	}
}

// readWords reads one sentence with the server's own decoder, which, unlike
// proto's Reader, accepts the bare reason word of !fatal.
func readWords(t *testing.T, br *bufio.Reader) []string {
	t.Helper()
	words, err := readSentence(br, postLogin)
	if err != nil {
		t.Fatalf("read sentence: %v", err)
	}
	return words
}

func TestRawQuit(t *testing.T) {
	for _, loggedIn := range []bool{false, true} {
		rc := dialRaw(t, &Server{Device: newTableDevice()})
		br := bufio.NewReader(rc.c)
		if loggedIn {
			rc.send("/login", "=name=admin", "=password=")
			if got := readWords(t, br); !slices.Equal(got, []string{"!done"}) {
				t.Fatalf("login reply %q", got)
			}
		}
		rc.send("/quit")
		if got, want := readWords(t, br), []string{"!fatal", "session terminated on request"}; !slices.Equal(got, want) {
			t.Fatalf("quit reply %q, want %q", got, want)
		}
		if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
			t.Fatalf("read after !fatal: %v, want EOF", err)
		}
	}
}

// TestRawWordLimits checks that an unauthenticated peer cannot announce a
// huge word, while a logged-in one may send a long (but sane) value.
func TestRawWordLimits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		raw   []byte
		login bool
	}{
		{"5-byte length before login", []byte{0xF0, 0x10, 0x00, 0x00, 0x00}, false},
		{"8 KiB word before login", []byte{0x80 | 0x20, 0x00}, false},
		{"control byte", []byte{0xF8}, true},
		{"256 MiB word after login", []byte{0xF0, 0x10, 0x00, 0x00, 0x00}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := dialRaw(t, &Server{Device: newTableDevice()})
			br := bufio.NewReader(rc.c)
			if tc.login {
				rc.send("/login", "=name=admin", "=password=")
				readWords(t, br)
			}
			if _, err := rc.c.Write(tc.raw); err != nil {
				t.Fatalf("write: %v", err)
			}
			if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
				t.Fatalf("read after %s: %v, want the server to close (EOF)", tc.name, err)
			}
		})
	}

	// Negative control: after login an 8 KiB comment is an ordinary value.
	rc := dialRaw(t, &Server{Device: newTableDevice()})
	rc.send("/login", "=name=admin", "=password=")
	rc.expect("!done @ []")
	long := strings.Repeat("x", 8<<10)
	rc.send(natPath+"/add", "=chain=srcnat", "=comment="+long)
	rc.expect("!done @ [{`ret` `*11`}]")
	rc.send(natPath+"/print", "?comment="+long, "=count-only=")
	rc.expect("!done @ [{`ret` `1`}]")
}
