package api

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/go-routeros/routeros/v3/proto"

	"github.com/chrlab/chrlab/rosemu/config"
)

// sentences encodes API sentences as a client sends them.
func sentences(ss ...[]string) []byte {
	var b bytes.Buffer
	w := proto.NewWriter(&b)
	for _, s := range ss {
		w.BeginSentence()
		for _, word := range s {
			w.WriteWord(word)
		}
		_ = w.EndSentence()
	}
	return b.Bytes()
}

func seedSentences(f *testing.F) {
	f.Add(sentences([]string{"/login", "=name=admin", "=password="}, []string{"/ip/address/print", "?interface=ether1"}))
	f.Add(sentences([]string{"/login", "=name=admin", "=password="}, []string{"/ip/firewall/nat/add", "=chain=srcnat", "=action=masquerade", ".tag=1"},
		[]string{"/ip/firewall/nat/print", "=.proplist=.id,chain", "?chain=srcnat", "?#|"}, []string{"/cancel", "=tag=1"}, []string{"/quit"}))
	f.Add(sentences([]string{"/login", "=name=admin", "=password="}, []string{"/import", "=file-name=x.rsc"}, []string{"/system/script/add", "=name=s", "=source=:for"},
		[]string{"/system/script/run", "=number=s"}))
	f.Add([]byte{0xF0, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{0x05, '/', 'q', 'u', 'i', 't', 0x00})
}

// FuzzSentence feeds any bytes to the sentence decoder: it returns words
// or an error, within its limits, and never panics.
func FuzzSentence(f *testing.F) {
	seedSentences(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReader(bytes.NewReader(data))
		for i := 0; i < 100; i++ {
			words, err := readSentence(br, preLogin)
			if err != nil {
				return
			}
			if len(words) > preLogin.maxWords {
				t.Fatalf("%d words past the limit", len(words))
			}
			_ = parseRequest(words)
		}
	})
}

// FuzzServer runs a whole API session on the real engine from any bytes a
// client may send: the server answers or closes the connection, never
// panics or hangs, and the router answers a fresh session afterwards.
func FuzzServer(f *testing.F) {
	seedSentences(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		saved := config.MaxRunTime
		config.MaxRunTime = time.Second
		defer func() { config.MaxRunTime = saved }()
		r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
		srv := &Server{Device: r}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cc, sc := net.Pipe()
		done := make(chan error, 1)
		go func() { done <- srv.ServeConn(ctx, sc) }()
		go func() { _, _ = io.Copy(io.Discard, cc) }()
		_, _ = cc.Write(data)
		cc.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the session did not end")
		}
		if _, _, err := r.Command(context.Background(), "/system/identity/set", map[string]string{"name": "after"}); err != nil {
			t.Fatalf("the router does not answer after the session: %v", err)
		}
	})
}
