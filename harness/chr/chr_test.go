package chr

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// The tests never leave this machine: every server is an httptest server
// on loopback, the offline case dials a closed loopback port, and the DNS
// case fails inside a dialer of the test's own.

// mbrImage is a raw disk image of sectors sectors whose one partition
// starts at sector 1 and ends at sector end (exclusive), with some
// recognisable content.
func mbrImage(sectors, end int) []byte {
	b := make([]byte, sectors*sector)
	e := b[446:]
	e[4] = 0x83
	binary.LittleEndian.PutUint32(e[8:], 1)
	binary.LittleEndian.PutUint32(e[12:], uint32(end-1))
	b[510], b[511] = 0x55, 0xAA
	for i := sector; i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	return b
}

// gptImage is a protective MBR, a GPT header at sector 1 with 4 entries at
// sector 2, and one partition from sector 3 to last (inclusive).
func gptImage(sectors, last int) []byte {
	b := make([]byte, sectors*sector)
	e := b[446:]
	e[4] = 0xEE
	binary.LittleEndian.PutUint32(e[8:], 1)
	binary.LittleEndian.PutUint32(e[12:], uint32(sectors-1))
	b[510], b[511] = 0x55, 0xAA
	h := b[sector:]
	copy(h, "EFI PART")
	binary.LittleEndian.PutUint64(h[72:], 2)
	binary.LittleEndian.PutUint32(h[80:], 4)
	binary.LittleEndian.PutUint32(h[84:], 128)
	p := b[2*sector:]
	copy(p[:16], "0123456789abcdef") // any non-zero partition type
	binary.LittleEndian.PutUint64(p[32:], 3)
	binary.LittleEndian.PutUint64(p[40:], uint64(last))
	return b
}

// zipOf stores files uncompressed, so a test can damage a known byte.
func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// server serves files by path and counts the requests it got.
type server struct {
	*httptest.Server
	hits atomic.Int32
}

func serve(t *testing.T, files map[string][]byte) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
	}))
	t.Cleanup(s.Close)
	return s
}

// closedURL is a loopback URL on which nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// leftovers lists the cache's files other than want.
func leftovers(t *testing.T, dir string, want ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		keep := false
		for _, w := range want {
			keep = keep || e.Name() == w
		}
		if !keep {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestDownloadThenReuse(t *testing.T) {
	img := mbrImage(2048, 2048) // 1 MiB: many reads, so several progress lines
	z := zipOf(t, map[string][]byte{"chr-7.16.2.img": img})
	srv := serve(t, map[string][]byte{"/routeros/7.16.2/chr-7.16.2.img.zip": z})
	cache := filepath.Join(t.TempDir(), "cache")
	var progress bytes.Buffer
	o := Options{Version: "7.16.2", CacheDir: cache, BaseURL: srv.URL + "/routeros/", Progress: &progress}

	if Available("7.16.2", cache) {
		t.Fatal("Available before the download")
	}
	got, err := Resolve(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(cache, "chr-7.16.2.img")
	sum := sha256.Sum256(z)
	if got.Path != want || got.Source != FromDownload || got.Size != int64(len(img)) || got.ZipSHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("Resolve = %+v", got)
	}
	if data, err := os.ReadFile(want); err != nil || !bytes.Equal(data, img) {
		t.Errorf("the cached image differs from the one in the zip (%v)", err)
	}
	if l := leftovers(t, cache, "chr-7.16.2.img"); len(l) > 0 {
		t.Errorf("the cache keeps %v besides the image", l)
	}
	out := progress.String()
	for _, w := range []string{"downloading " + srv.URL + "/routeros/7.16.2/chr-7.16.2.img.zip", "chr-7.16.2.img.zip  [", "/s", "100%", "SHA-256 " + got.ZipSHA256} {
		if !strings.Contains(out, w) {
			t.Errorf("progress lacks %q:\n%s", w, out)
		}
	}
	// Off a terminal the bar prints a line each time a tenth is passed,
	// with a rising percentage, and ends at 100%.
	var pcts []int
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, "%"); i >= 3 && strings.Contains(l, "] ") {
			n, err := strconv.Atoi(strings.TrimSpace(l[i-3 : i]))
			if err != nil {
				t.Fatalf("bar line %q: %v", l, err)
			}
			pcts = append(pcts, n)
		}
	}
	if len(pcts) < 2 || len(pcts) > 10 || pcts[len(pcts)-1] != 100 || !slices.IsSorted(pcts) {
		t.Errorf("progress percentages %v, want 2 to 10 rising to 100:\n%s", pcts, out)
	}
	if !Available("7.16.2", cache) || Available("7.17", cache) {
		t.Error("Available after the download is wrong")
	}

	hits := srv.hits.Load()
	again, err := Resolve(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if again.Source != FromCache || again.Path != want || srv.hits.Load() != hits {
		t.Errorf("second Resolve = %+v after %d more requests; want the cached image and none", again, srv.hits.Load()-hits)
	}
}

func TestDownloadWithoutLength(t *testing.T) {
	img := mbrImage(8, 8)
	z := zipOf(t, map[string][]byte{"chr-7.16.2.img": img})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A flush before the body makes the reply chunked, without a
		// Content-Length, as some mirrors answer.
		w.(http.Flusher).Flush()
		_, _ = w.Write(z)
	}))
	defer srv.Close()
	var progress bytes.Buffer
	got, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: t.TempDir(), BaseURL: srv.URL, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != FromDownload || !strings.Contains(progress.String(), "chr-7.16.2.img.zip  "+size(int64(len(z)))) {
		t.Errorf("Resolve = %+v, progress:\n%s", got, progress.String())
	}
}

func TestDownloadRefusesDamage(t *testing.T) {
	good := mbrImage(8, 8)
	corrupt := zipOf(t, map[string][]byte{"chr-7.16.2.img": good})
	// The stored data starts after the 30-byte local header and the name;
	// one changed byte breaks the CRC-32.
	corrupt[30+len("chr-7.16.2.img")+700] ^= 0xFF
	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"corrupt zip", corrupt, "CRC-32 does not match"},
		{"not a zip", []byte("<html>maintenance</html>"), "open CHR archive"},
		{"truncated image", zipOf(t, map[string][]byte{"chr-7.16.2.img": mbrImage(8, 64)}), "partitions reach byte 32768; the file is truncated"},
		{"no image inside", zipOf(t, map[string][]byte{"readme.txt": []byte("x")}), "holds 0 .img files (readme.txt)"},
		{"not a disk", zipOf(t, map[string][]byte{"chr-7.16.2.img": make([]byte, 4096)}), "no MBR boot signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, map[string][]byte{"/7.16.2/chr-7.16.2.img.zip": tc.body})
			cache := t.TempDir()
			_, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: srv.URL})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), srv.URL+"/7.16.2/chr-7.16.2.img.zip") {
				t.Fatalf("Resolve error = %v; want %q and the URL", err, tc.want)
			}
			t.Log(err)
			if l := leftovers(t, cache); len(l) > 0 {
				t.Errorf("a refused download left %v in the cache", l)
			}
			if Available("7.16.2", cache) {
				t.Error("Available after a refused download")
			}
		})
	}
}

func TestDownloadCutShort(t *testing.T) {
	z := zipOf(t, map[string][]byte{"chr-7.16.2.img": mbrImage(8, 8)})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write(z) // fewer bytes than announced: the server then drops the connection
	}))
	defer srv.Close()
	cache := t.TempDir()
	_, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "transfer stopped after") {
		t.Fatalf("Resolve error = %v; want the transfer to be reported cut short", err)
	}
	if l := leftovers(t, cache); len(l) > 0 {
		t.Errorf("a cut download left %v in the cache", l)
	}
}

func TestUnknownRelease(t *testing.T) {
	srv := serve(t, nil)
	_, err := Resolve(context.Background(), Options{Version: "7.99", CacheDir: t.TempDir(), BaseURL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "404 Not Found") || !strings.Contains(err.Error(), "is 7.99 a RouterOS release?") {
		t.Fatalf("Resolve error = %v", err)
	}
}

func TestOffline(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "chrlab")
	base := closedURL(t)
	_, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: base})
	if err == nil {
		t.Fatal("Resolve with nothing listening succeeded")
	}
	t.Log(err)
	for _, w := range []string{
		"download CHR 7.16.2 from " + base + "/7.16.2/chr-7.16.2.img.zip",
		"connection refused",
		"put chr-7.16.2.img (or chr-7.16.2.img.zip) into " + cache,
		"CHR_IMAGE=<file>",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
	if l := leftovers(t, cache); len(l) > 0 {
		t.Errorf("a failed download left %v in the cache", l)
	}
}

// As on a machine without DNS or without a route out: the dialer of the
// test fails by itself, so nothing leaves the machine, and the message
// names MikroTik's real URL.
func TestNoWayOut(t *testing.T) {
	for name, cause := range map[string]error{
		"no DNS":   &net.DNSError{Err: "no such host", Name: "download.mikrotik.com", IsNotFound: true},
		"no route": os.NewSyscallError("connect", syscall.ENETUNREACH),
	} {
		client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: cause}
		}}}
		cache := t.TempDir()
		_, err := Resolve(context.Background(), Options{Version: "6.49.13", CacheDir: cache, Client: client})
		want := "download CHR 6.49.13 from https://download.mikrotik.com/routeros/6.49.13/chr-6.49.13.img.zip: dial tcp: "
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "(offline?)") || !strings.Contains(err.Error(), "into "+cache) {
			t.Errorf("%s: Resolve error = %v", name, err)
		}
	}
}

func TestBadVersionComesFirst(t *testing.T) {
	srv := serve(t, nil)
	for _, v := range []string{"7", "7.16.2/../../x", "../7.16.2", "7.16.0", "7.16.2 (stable)", "6.48.6", "5.26", "7.016", "latest", "7.16.2\n"} {
		_, err := Resolve(context.Background(), Options{Version: v, CacheDir: t.TempDir(), BaseURL: srv.URL})
		if err == nil || !strings.HasPrefix(err.Error(), "check CHR version") {
			t.Errorf("Resolve(%q) error = %v", v, err)
		}
		if Available(v, t.TempDir()) {
			t.Errorf("Available(%q)", v)
		}
	}
	if _, err := Resolve(context.Background(), Options{CacheDir: t.TempDir(), BaseURL: srv.URL}); err == nil || !strings.Contains(err.Error(), "set ROUTEROS=<version>") {
		t.Errorf("Resolve without version or image: %v", err)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("the server got %d requests for bad versions", n)
	}
	for _, v := range []string{"6.49", "6.49.13", "7.1", "7.16.2", "7.18beta2", "7.18rc1", "8.0"} {
		if err := CheckVersion(v); err != nil {
			t.Errorf("CheckVersion(%q): %v", v, err)
		}
	}
}

func TestLocalImage(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.img", mbrImage(8, 8))
	gpt := write("gpt.img", gptImage(16, 15))
	base := closedURL(t) // a local image needs no network
	for _, p := range []string{good, gpt} {
		im, err := Resolve(context.Background(), Options{Image: p, BaseURL: base, CacheDir: dir})
		if err != nil || im.Path != p || im.Source != FromFile || im.Version != "" {
			t.Errorf("Resolve(CHR_IMAGE=%s) = %+v, %v", p, im, err)
		}
	}
	for _, tc := range []struct {
		file, want string
	}{
		{write("short.img", mbrImage(8, 8)[:3000]), "not a whole number of 512-byte sectors"},
		{write("cut.img", mbrImage(8, 8)[:2048]), "partitions reach byte 4096; the file is truncated"},
		{write("cutgpt.img", gptImage(16, 15)[:8*sector]), "partitions reach byte 8192; the file is truncated"},
		{write("nogpt.img", func() []byte { b := gptImage(16, 15); clear(b[sector : 2*sector]); return b }()), "no GPT header"},
		{write("tiny.img", []byte{0x55, 0xAA}), "too small"},
		{write("empty.img", func() []byte { b := mbrImage(8, 8); clear(b[446:510]); return b }()), "partition table is empty"},
		{write("chr.img.zip", zipOf(t, map[string][]byte{"chr-7.16.2.img": mbrImage(8, 8)})), "a zip archive"},
		{write("chr.qcow2", append([]byte("QFI\xfb"), make([]byte, 4092)...)), "a qcow2 image"},
		{filepath.Join(dir, "missing.img"), "no such file"},
		{dir, "not a regular file"},
	} {
		_, err := Resolve(context.Background(), Options{Version: "7.16.2", Image: tc.file, BaseURL: base, CacheDir: dir})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
			t.Errorf("Resolve(CHR_IMAGE=%s) error = %v; want %q and the file's path", tc.file, err, tc.want)
		}
	}
}

func TestDroppedZip(t *testing.T) {
	cache := t.TempDir()
	img := mbrImage(8, 8)
	z := zipOf(t, map[string][]byte{"chr-7.16.2.img": img})
	zp := filepath.Join(cache, "chr-7.16.2.img.zip")
	if err := os.WriteFile(zp, z, 0o644); err != nil {
		t.Fatal(err)
	}
	if !Available("7.16.2", cache) {
		t.Fatal("a dropped zip is not Available")
	}
	sum := sha256.Sum256(z)
	// A checksum file beside it that does not match stops the unpacking.
	side := zp + ".sha256"
	if err := os.WriteFile(side, []byte(strings.Repeat("0", 64)+"  chr-7.16.2.img.zip\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := closedURL(t)
	if _, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: base}); err == nil || !strings.Contains(err.Error(), "its SHA-256 is "+hex.EncodeToString(sum[:])) {
		t.Fatalf("Resolve with a wrong checksum file: %v", err)
	}
	if err := os.WriteFile(side, []byte(hex.EncodeToString(sum[:])+"  chr-7.16.2.img.zip\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	im, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: base})
	if err != nil || im.Source != FromCacheZip || im.Path != filepath.Join(cache, "chr-7.16.2.img") {
		t.Fatalf("Resolve = %+v, %v", im, err)
	}
	if data, _ := os.ReadFile(im.Path); !bytes.Equal(data, img) {
		t.Error("the unpacked image differs")
	}
	if !exists(zp) {
		t.Error("the user's zip was removed")
	}
}

func TestPinnedChecksum(t *testing.T) {
	z := zipOf(t, map[string][]byte{"chr-7.16.2.img": mbrImage(8, 8)})
	srv := serve(t, map[string][]byte{"/7.16.2/chr-7.16.2.img.zip": z})
	cache := t.TempDir()
	if _, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: srv.URL, SHA256: "abc"}); err == nil || !strings.Contains(err.Error(), "is not a SHA-256") {
		t.Errorf("a malformed pin: %v", err)
	}
	_, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: srv.URL, SHA256: strings.Repeat("ab", 32)})
	if err == nil || !strings.Contains(err.Error(), "but "+strings.Repeat("ab", 32)+" was expected") {
		t.Fatalf("Resolve with a wrong pin: %v", err)
	}
	if l := leftovers(t, cache); len(l) > 0 {
		t.Errorf("a refused download left %v", l)
	}
	sum := sha256.Sum256(z)
	if _, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: srv.URL, SHA256: strings.ToUpper(hex.EncodeToString(sum[:]))}); err != nil {
		t.Errorf("Resolve with the right pin: %v", err)
	}
}

func TestCachedImageDamaged(t *testing.T) {
	cache := t.TempDir()
	p := filepath.Join(cache, "chr-7.16.2.img")
	if err := os.WriteFile(p, mbrImage(8, 8)[:2048], 0o644); err != nil {
		t.Fatal(err)
	}
	if Available("7.16.2", cache) {
		t.Error("a truncated cached image is Available")
	}
	_, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: cache, BaseURL: closedURL(t)})
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("Resolve = %v", err)
	}
}

func TestTwoImagesInZip(t *testing.T) {
	z := zipOf(t, map[string][]byte{"a.img": mbrImage(8, 8), "b.img": mbrImage(8, 8)})
	srv := serve(t, map[string][]byte{"/7.16.2/chr-7.16.2.img.zip": z})
	_, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: t.TempDir(), BaseURL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "holds 2 .img files") {
		t.Errorf("Resolve = %v", err)
	}
	// One .img under another name is taken: a user may rename the zip's
	// content.
	z = zipOf(t, map[string][]byte{"renamed.img": mbrImage(8, 8)})
	srv = serve(t, map[string][]byte{"/7.16.2/chr-7.16.2.img.zip": z})
	if _, err := Resolve(context.Background(), Options{Version: "7.16.2", CacheDir: t.TempDir(), BaseURL: srv.URL}); err != nil {
		t.Errorf("Resolve of a zip with one .img: %v", err)
	}
}
