package api

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-routeros/routeros/v3"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestAbruptClosesLeakNothing: clients that close in the middle of a
// sentence, after announcing a huge word, with many tagged commands
// unanswered, without reading a large reply, or after bytes that are no
// API at all leave no goroutine of the server behind, and the router
// answers a fresh client afterwards.
func TestAbruptClosesLeakNothing(t *testing.T) {
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	var list strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&list, "/ip firewall address-list add list=big address=10.%d.%d.%d\n", i/65536, i/256%256, i%256)
	}
	if _, err := r.Run(t.Context(), list.String()); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	base := runtime.NumGoroutine()
	served := make(chan error, 1)
	srv := &Server{Device: r}
	go func() { served <- srv.Serve(ctx, l) }()

	login := sentences([]string{"/login", "=name=admin", "=password="})
	var tags [][]string
	for i := range 1000 {
		tags = append(tags, []string{"/system/identity/set", fmt.Sprintf("=name=r%d", i), fmt.Sprintf(".tag=%d", i)})
	}
	inputs := map[string][]byte{
		"half a sentence":         sentences([]string{"/login", "=name=admin"})[:9],
		"a 16 MiB word announced": append(append([]byte{}, login...), 0xF0, 0x00, 0xFF, 0xFF, 0xFF, 'x', 'y'),
		"a word past the limit":   {0xE0, 0x00, 0x10, 0x00, 'x'},
		"a bad length prefix":     {0xF8, 0x01, 0x02},
		"33 words before login":   sentences(append([]string{"/login"}, strings.Split(strings.Repeat("=a=b,", 33), ",")[:33]...)),
		"1000 tags unread":        append(append([]byte{}, login...), sentences(tags...)...),
		"a large print unread":    append(append([]byte{}, login...), bytes.Repeat(sentences([]string{"/ip/firewall/address-list/print"}), 20)...),
	}
	for name, data := range inputs {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		c.Write(data) // the server may close first: its error is the point
		c.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base+1 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base+1 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines 10 s after the clients closed; want at most %d (Serve's own):\n%s", n, base+1, buf[:runtime.Stack(buf, true)])
	}
	c, err := routeros.DialContext(t.Context(), l.Addr().String(), "admin", "")
	if err != nil {
		t.Fatalf("a fresh client after the abrupt ones: %v", err)
	}
	if _, err := c.RunContext(t.Context(), "/system/identity/print"); err != nil {
		t.Errorf("print after the abrupt clients: %v", err)
	}
	c.Close()
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}
