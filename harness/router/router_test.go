package router

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookupUnknownListsKinds(t *testing.T) {
	if _, err := Lookup("rosemu"); err != nil {
		t.Fatalf("Lookup(rosemu): %v", err)
	}
	_, err := Lookup("vmx")
	if err == nil {
		t.Fatal("Lookup(vmx) succeeded")
	}
	for _, want := range []string{`"vmx"`, "chr (", "rosemu (", "vm ("} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestChooseAuto(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		o    Options
		want string
	}{
		{Options{CacheDir: dir}, "rosemu"},
		{Options{CacheDir: dir, RouterOS: "7.16.2"}, "rosemu"}, // no image in the cache
		{Options{CacheDir: dir, CHRImage: "/x/chr.img"}, "chr"},
	}
	for _, c := range cases {
		k, why, err := Choose("auto", c.o)
		if err != nil || k.Name() != c.want || why == "" {
			t.Errorf("Choose(auto, %+v) = %v, %q, %v; want %s", c.o, k, why, err, c.want)
		}
	}
	if k, _, err := Choose("vm", Options{}); err != nil || k.Name() != "vm" {
		t.Errorf("Choose(vm) = %v, %v", k, err)
	}
}

// The chr kind fails in Prepare, before any image is built, when it has
// no image to boot; an absent image is named.
func TestCHRPrepareFailsWithoutImage(t *testing.T) {
	k, _ := Lookup("chr")
	if _, err := k.Prepare(context.Background(), Options{CacheDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "ROUTEROS") {
		t.Errorf("Prepare without version or image: %v", err)
	}
	if _, err := k.Prepare(context.Background(), Options{CHRImage: "/nonexistent/chr.img"}); err == nil || !strings.Contains(err.Error(), "/nonexistent/chr.img") {
		t.Errorf("Prepare with a missing CHR_IMAGE: %v", err)
	}
}

func TestMemoryGuidance(t *testing.T) {
	// v7: 512 + 8 x CPUs x (interfaces - 1); v6: 256.
	for _, c := range []struct {
		v          string
		cpus, nics int
		want       int
	}{{"7.16.2", 1, 3, 528}, {"7.16.2", 2, 4, 560}, {"", 1, 1, 512}, {"6.49.18", 1, 3, 256}} {
		if got := Memory(c.v, c.cpus, c.nics); got != c.want {
			t.Errorf("Memory(%q, %d, %d) = %d, want %d", c.v, c.cpus, c.nics, got, c.want)
		}
	}
}

// A CHR_IMAGE that is a whole disk but holds no RouterOS partition is
// refused in Prepare, naming the file and what its partitions hold.
func TestCHRPrepareNoRouterOSPartition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "foreign.img")
	disk := make([]byte, 4<<20)
	disk[510], disk[511] = 0x55, 0xAA
	e := disk[446:]
	e[4] = 0x83
	binary.LittleEndian.PutUint32(e[8:], 1)
	binary.LittleEndian.PutUint32(e[12:], uint32(len(disk)/512-1))
	binary.LittleEndian.PutUint16(disk[512+1080:], 0xEF53)
	copy(disk[512+1144:], "data")
	if err := os.WriteFile(path, disk, 0o644); err != nil {
		t.Fatal(err)
	}
	k, _ := Lookup("chr")
	_, err := k.Prepare(context.Background(), Options{CHRImage: path, CacheDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `label "data"`) {
		t.Errorf("Prepare with a foreign disk: %v", err)
	}
}

// TestOnHostKernel: only rosemu's data plane is this machine's kernel, so
// only a rosemu run is checked (and skipped, or moved to vm under auto)
// for kernel features this machine lacks; vm and chr boot their own
// kernel. The runner asked for the kind's name before (ipsec74).
func TestOnHostKernel(t *testing.T) {
	for name, want := range map[string]bool{"rosemu": true, "vm": false} {
		k, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		r, err := k.Prepare(context.Background(), Options{CacheDir: t.TempDir()})
		if err != nil {
			t.Fatalf("Prepare(%s): %v", name, err)
		}
		if got := r.OnHostKernel(); got != want {
			t.Errorf("%s: OnHostKernel = %v, want %v", name, got, want)
		}
	}
}
