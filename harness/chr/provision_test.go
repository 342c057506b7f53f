package chr

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// localTool runs e2fsprogs on this machine, as the chr container does.
func localTool(ctx context.Context, dir string, args []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// ext3Disk writes a disk laid out like a v7 CHR image with a real ext3
// file system labelled label (with rw/ and the stock 2-byte autorun.scr).
func ext3Disk(t *testing.T, label string) string {
	t.Helper()
	for _, tool := range []string{"mke2fs", "debugfs"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed here (the chr image carries e2fsprogs)", tool)
		}
	}
	path := synthDisk(t, 128*mib, true,
		synthPart{start: 34, count: 65536, label: "RouterOS Boot"},
		synthPart{start: 65570, count: 192478})
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "rw"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "rw", "autorun.scr"), []byte("\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mke2fs", "-F", "-q", "-t", "ext3", "-L", label, "-d", root,
		"-E", fmt.Sprintf("offset=%d", 65570*512), path, fmt.Sprint(192478/2)+"k").CombinedOutput()
	if err != nil {
		t.Fatalf("mke2fs: %v: %s", err, out)
	}
	return path
}

func testProvision() Provision {
	return Provision{MgmtMAC: net.HardwareAddr{0x52, 0x54, 0, 0, 0xff, 0xff}, MgmtAddr: netip.MustParsePrefix("10.0.2.15/24")}
}

func TestScriptShape(t *testing.T) {
	s := testProvision().Script(AutorunMarker)
	for _, want := range []string{`"52:54:00:00:FF:FF"`, "$n < 60", "/ip dhcp-client remove [find]",
		"address=10.0.2.15/24 interface=[/interface ethernet get [:pick $ifs 0] name]", AutorunMarker} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %q:\n%s", want, s)
		}
	}
	if !strings.HasPrefix(s, "{\n") || !strings.HasSuffix(s, "}\n}\n") {
		t.Errorf("script is not one block:\n%s", s)
	}
}

// Derive writes rw/autorun.scr into a copy, leaves the source untouched,
// and reuses the copy on the next call.
func TestDerive(t *testing.T) {
	src := ext3Disk(t, RouterOSLabel)
	before, _ := os.ReadFile(src)
	dir := t.TempDir()
	script := testProvision().Script(AutorunMarker)
	d, err := Derive(context.Background(), src, dir, script, localTool)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cached || d.Partition.Offset != 33571840 {
		t.Errorf("first Derive = %+v", d)
	}
	got, err := localTool(context.Background(), dir, []string{"debugfs", "-R", "cat rw/autorun.scr", fmt.Sprintf("%s?offset=%d", d.Path, d.Partition.Offset)})
	if err != nil || !strings.Contains(string(got), script) {
		t.Errorf("derived copy holds %q (%v)", got, err)
	}
	if out, err := exec.Command("e2fsck", "-fn", fmt.Sprintf("%s?offset=%d", d.Path, d.Partition.Offset)).CombinedOutput(); err != nil {
		t.Errorf("e2fsck on the derived copy: %v: %s", err, out)
	}
	after, _ := os.ReadFile(src)
	if string(before) != string(after) {
		t.Error("Derive modified the source image")
	}
	d2, err := Derive(context.Background(), src, dir, script, localTool)
	if err != nil || !d2.Cached || d2.Path != d.Path {
		t.Errorf("second Derive = %+v, %v; want the cached copy", d2, err)
	}
	// Negative control: another script gives another copy.
	d3, err := Derive(context.Background(), src, dir, testProvision().Script(ConsoleMarker), localTool)
	if err != nil || d3.Cached || d3.Path == d.Path {
		t.Errorf("Derive with another script = %+v, %v", d3, err)
	}
}

// A CHR-layout disk whose partition has no rw/ folder is refused, naming
// the partition; no copy is left behind.
func TestDeriveNoRW(t *testing.T) {
	for _, tool := range []string{"mke2fs", "debugfs"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed here", tool)
		}
	}
	path := synthDisk(t, 64*mib, false, synthPart{start: 1, count: 131071})
	if out, err := exec.Command("mke2fs", "-F", "-q", "-t", "ext3", "-L", RouterOSLabel, "-E", "offset=512", path, "65535k").CombinedOutput(); err != nil {
		t.Fatalf("mke2fs: %v: %s", err, out)
	}
	dir := t.TempDir()
	_, err := Derive(context.Background(), path, dir, "{}\n", localTool)
	if err == nil || !strings.Contains(err.Error(), "rw/") || !strings.Contains(err.Error(), "byte 512") {
		t.Fatalf("Derive on a partition without rw/: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left behind: %v", left)
	}
}

// The stand-in disk has the v7 layout and takes a provisioning script like
// a CHR image does; the second call reuses it.
func TestMakeStandin(t *testing.T) {
	if _, err := exec.LookPath("mke2fs"); err != nil {
		t.Skip("mke2fs is not installed here")
	}
	dir := t.TempDir()
	p, err := MakeStandin(context.Background(), dir, localTool)
	if err != nil {
		t.Fatal(err)
	}
	part, err := FindRouterOS(p)
	if err != nil || part.Offset != 33571840 {
		t.Fatalf("stand-in: %v, %v", part, err)
	}
	d, err := Derive(context.Background(), p, dir, testProvision().Script(AutorunMarker), localTool)
	if err != nil || d.Partition.Offset != 33571840 {
		t.Fatalf("Derive on the stand-in: %+v, %v", d, err)
	}
	if p2, err := MakeStandin(context.Background(), dir, localTool); err != nil || p2 != p {
		t.Errorf("second MakeStandin = %s, %v", p2, err)
	}
}
