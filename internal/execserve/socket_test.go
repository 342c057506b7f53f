package execserve

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestMain makes the test binary a member program: ListenMember starts
// the binary itself with the argument exec-serve.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "exec-serve" {
		if err := Serve(os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestListenMemberServesEachConnection(t *testing.T) {
	t.Setenv(MemberEnv, "chrlab-run-client1")
	path := filepath.Join(t.TempDir(), "exec.sock")
	// A socket left by an earlier run of the program is replaced.
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := listenMember(path, StartAndWait); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		conn, err := net.DialTimeout("unix", path, time.Second)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		dec := json.NewDecoder(conn)
		var hello Response
		if err := dec.Decode(&hello); err != nil || !hello.Ready || hello.Member != "chrlab-run-client1" {
			t.Fatalf("connection %d: first line %+v, %v; want ready from chrlab-run-client1", i, hello, err)
		}
		if err := json.NewEncoder(conn).Encode(Request{ID: 7, Cmd: []string{"sh", "-c", "echo $" + MemberEnv + "; exit 3"}}); err != nil {
			t.Fatal(err)
		}
		var r Response
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		if r.ID != 7 || r.Code != 3 || string(r.Stdout) != "chrlab-run-client1\n" {
			t.Errorf("connection %d: %+v (stdout %q), want id 7, code 3, the member's name", i, r, r.Stdout)
		}
		conn.Close()
	}
}

func TestListenMemberOnlyInAMember(t *testing.T) {
	t.Setenv(MemberEnv, "")
	path := filepath.Join(t.TempDir(), "exec.sock")
	started := false
	if err := listenMember(path, func(*exec.Cmd) error { started = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) || started {
		t.Errorf("a program outside a lab took the socket (stat: %v, started %v)", err, started)
	}
}
