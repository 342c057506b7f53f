package execserve

import (
	"encoding/json"
	"io"
	"testing"
	"time"
)

// client drives Serve over pipes as the lab does over a docker exec.
type client struct {
	enc *json.Encoder
	dec *json.Decoder
}

func start(t *testing.T) *client {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(inR, outW); outW.Close() }()
	t.Cleanup(func() {
		inW.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	c := &client{enc: json.NewEncoder(inW), dec: json.NewDecoder(outR)}
	var hello Response
	if err := c.dec.Decode(&hello); err != nil || !hello.Ready {
		t.Fatalf("first line %+v, %v; want ready", hello, err)
	}
	return c
}

func (c *client) recv(t *testing.T) Response {
	t.Helper()
	var r Response
	if err := c.dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestServeRunsAsDockerExec(t *testing.T) {
	c := start(t)
	cases := []struct {
		cmd            []string
		stdout, stderr string
		code           int
	}{
		{[]string{"sh", "-c", "echo out; echo err >&2; exit 3"}, "out\n", "err\n", 3},
		{[]string{"true"}, "", "", 0},
		{[]string{"sh", "-c", "kill -TERM $$"}, "", "", 128 + 15},
		{[]string{"cat"}, "", "", 0}, // standard input is empty, as docker exec's without -i
	}
	for i, tc := range cases {
		if err := c.enc.Encode(Request{ID: uint64(i + 1), Cmd: tc.cmd}); err != nil {
			t.Fatal(err)
		}
		r := c.recv(t)
		if r.ID != uint64(i+1) || string(r.Stdout) != tc.stdout || string(r.Stderr) != tc.stderr || r.Code != tc.code {
			t.Errorf("%q: got id %d stdout %q stderr %q code %d; want %q %q %d", tc.cmd, r.ID, r.Stdout, r.Stderr, r.Code, tc.stdout, tc.stderr, tc.code)
		}
	}
	// A program that is not there: the shell's 127, with the reason.
	if err := c.enc.Encode(Request{ID: 9, Cmd: []string{"no-such-program-here"}}); err != nil {
		t.Fatal(err)
	}
	if r := c.recv(t); r.Code != 127 || len(r.Stderr) == 0 {
		t.Errorf("missing program: code %d stderr %q; want 127 and a reason", r.Code, r.Stderr)
	}
}

// Commands run side by side and answer as they end; a cancel ends one
// (and its children) at once.
func TestServeConcurrentAndCancel(t *testing.T) {
	c := start(t)
	begin := time.Now()
	if err := c.enc.Encode(Request{ID: 1, Cmd: []string{"sh", "-c", "sleep 30 & wait"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.enc.Encode(Request{ID: 2, Cmd: []string{"echo", "second"}}); err != nil {
		t.Fatal(err)
	}
	if r := c.recv(t); r.ID != 2 || string(r.Stdout) != "second\n" {
		t.Fatalf("first answer %+v; want the echo's, while the sleep runs", r)
	}
	if err := c.enc.Encode(Request{ID: 1, Cancel: true}); err != nil {
		t.Fatal(err)
	}
	r := c.recv(t)
	if r.ID != 1 || r.Code != 128+9 {
		t.Fatalf("cancelled command: %+v; want id 1 ended by SIGKILL (137)", r)
	}
	if took := time.Since(begin); took > 10*time.Second {
		t.Fatalf("the cancel took %v: the sleeping child held the output open", took)
	}
}
