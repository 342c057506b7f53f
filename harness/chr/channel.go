package chr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultFeedURL is MikroTik's upgrade feed, the files RouterOS itself
// reads on check-for-updates: NEWESTa7.<channel> for v7 and
// NEWEST6.<channel> for v6, each one line "<version> <unix time>".
const DefaultFeedURL = "https://upgrade.mikrotik.com/routeros"

// Channels are the release channels ROUTEROS may name instead of a
// version; a "6-" prefix (6-long-term) asks for the v6 line.
var Channels = []string{"stable", "long-term", "testing", "development"}

// channelTTL is how long a resolved channel is reused from the cache.
const channelTTL = time.Hour

// IsChannel reports whether s names a release channel rather than a
// version.
func IsChannel(s string) bool {
	s = strings.TrimPrefix(s, "6-")
	for _, c := range Channels {
		if s == c {
			return true
		}
	}
	return false
}

// FeedURL is the feed file of a channel ("stable", "6-long-term").
func FeedURL(base, channel string) string {
	if base == "" {
		base = DefaultFeedURL
	}
	file := "NEWESTa7." + channel
	if c, ok := strings.CutPrefix(channel, "6-"); ok {
		file = "NEWEST6." + c
	}
	return strings.TrimRight(base, "/") + "/" + file
}

// ResolveChannel returns the version a channel names: from the cache when
// resolved within the last hour, else from the feed, then cached. Offline
// it fails at once (the client's connect timeout), naming the URL. A
// version is returned as it is.
func ResolveChannel(ctx context.Context, channel, cacheDir, base string, client *http.Client) (string, error) {
	if !IsChannel(channel) {
		return channel, nil
	}
	url := FeedURL(base, channel)
	cache := filepath.Join(cacheDir, "channel-"+channel)
	if st, err := os.Stat(cache); err == nil && time.Since(st.ModTime()) < channelTTL {
		if b, err := os.ReadFile(cache); err == nil {
			if v := strings.TrimSpace(string(b)); CheckVersion(v) == nil {
				return v, nil
			}
		}
	}
	if client == nil {
		client = newClient()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("resolve RouterOS channel %s: %w", channel, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("resolve RouterOS channel %s from %s: %w (offline? set ROUTEROS to a version whose image is in %s)", channel, url, err, cacheDir)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("resolve RouterOS channel %s from %s: %s", channel, url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if err != nil {
		return "", fmt.Errorf("resolve RouterOS channel %s from %s: %w", channel, url, err)
	}
	fields := strings.Fields(string(body))
	if len(fields) == 0 {
		return "", fmt.Errorf("resolve RouterOS channel %s from %s: the answer is empty", channel, url)
	}
	v := fields[0]
	if err := CheckVersion(v); err != nil {
		return "", fmt.Errorf("resolve RouterOS channel %s from %s: %q: %w", channel, url, fields[0], err)
	}
	if err := os.MkdirAll(cacheDir, 0o755); err == nil {
		if werr := os.WriteFile(cache, []byte(v+"\n"), 0o644); werr != nil {
			err = errors.Join(err, werr)
		}
	}
	return v, nil
}
