package chr

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestResolveChannel(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/routeros/NEWESTa7.stable":
			w.Write([]byte("7.22.1 1774276515\n"))
		case "/routeros/NEWEST6.long-term":
			w.Write([]byte("6.49.18 1750000000"))
		case "/routeros/NEWESTa7.testing":
			w.Write([]byte("garbage"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	base := srv.URL + "/routeros"
	dir := t.TempDir()
	ctx := context.Background()
	v, err := ResolveChannel(ctx, "stable", dir, base, srv.Client())
	if err != nil || v != "7.22.1" {
		t.Fatalf("stable = %q, %v", v, err)
	}
	// The second ask comes from the cache.
	if v, err := ResolveChannel(ctx, "stable", dir, base, srv.Client()); err != nil || v != "7.22.1" || hits.Load() != 1 {
		t.Errorf("cached stable = %q, %v after %d requests", v, err, hits.Load())
	}
	if v, err := ResolveChannel(ctx, "6-long-term", dir, base, srv.Client()); err != nil || v != "6.49.18" {
		t.Errorf("6-long-term = %q, %v", v, err)
	}
	if _, err := ResolveChannel(ctx, "testing", dir, base, srv.Client()); err == nil || !strings.Contains(err.Error(), "NEWESTa7.testing") {
		t.Errorf("a garbage answer: %v", err)
	}
	if _, err := ResolveChannel(ctx, "development", dir, base, srv.Client()); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a missing feed file: %v", err)
	}
	if v, err := ResolveChannel(ctx, "7.16.2", dir, base, srv.Client()); err != nil || v != "7.16.2" {
		t.Errorf("a version = %q, %v", v, err)
	}
}

// Offline (nothing listens), a channel fails at once, naming the URL; an
// expired cache entry is not used silently.
func TestResolveChannelOffline(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/routeros"
	srv.Close()
	dir := t.TempDir()
	old := filepath.Join(dir, "channel-stable")
	if err := os.WriteFile(old, []byte("7.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-2 * channelTTL)
	_ = os.Chtimes(old, past, past)
	start := time.Now()
	_, err := ResolveChannel(context.Background(), "stable", dir, base, nil)
	if err == nil || !strings.Contains(err.Error(), base+"/NEWESTa7.stable") {
		t.Fatalf("offline: %v", err)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("offline failure took %s", d)
	}
}
