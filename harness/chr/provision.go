package chr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// AutorunMarker is logged by the provisioning script once the management
// NIC has its address; readiness looks for it in /log to say how the
// router was provisioned.
const AutorunMarker = "chrlab: provisioned by autorun"

// ConsoleMarker is logged when the console dialogue typed the same script.
const ConsoleMarker = "chrlab: provisioned by console"

// Provision is what the script does on a fresh router.
type Provision struct {
	MgmtMAC  net.HardwareAddr // the management NIC, found by its MAC
	MgmtAddr netip.Prefix     // its address, such as 10.0.2.15/24
	// WaitSeconds bounds the wait for the NIC to appear (ports can appear
	// late on a loaded host); zero means 60.
	WaitSeconds int
}

// Script returns the RouterOS script for rw/autorun.scr (marker
// AutorunMarker) or for the console dialogue (ConsoleMarker). It is one
// {...} block: RouterOS runs each top-level line of the file on its own,
// and :local values would not survive from one line to the next. It waits
// for the management NIC by MAC, removes the default DHCP client (a fresh
// CHR runs one on ether1, which is the lab's WAN), gives the NIC its
// address and logs the marker.
func (p Provision) Script(marker string) string {
	wait := p.WaitSeconds
	if wait == 0 {
		wait = 60
	}
	mac := strings.ToUpper(p.MgmtMAC.String())
	var b strings.Builder
	fmt.Fprintf(&b, "{\n")
	fmt.Fprintf(&b, ":local mac \"%s\"\n", mac)
	fmt.Fprintf(&b, ":local n 0\n")
	fmt.Fprintf(&b, ":while ([:len [/interface ethernet find mac-address=$mac]] = 0 && $n < %d) do={ :delay 1s; :set n ($n + 1) }\n", wait)
	fmt.Fprintf(&b, ":local ifs [/interface ethernet find mac-address=$mac]\n")
	fmt.Fprintf(&b, ":if ([:len $ifs] = 0) do={ :log error \"chrlab: no management NIC $mac after %ds\" } else={\n", wait)
	fmt.Fprintf(&b, "/ip dhcp-client remove [find]\n")
	fmt.Fprintf(&b, "/ip address add address=%s interface=[/interface ethernet get [:pick $ifs 0] name] comment=chrlab-mgmt\n", p.MgmtAddr)
	fmt.Fprintf(&b, ":log info \"%s\"\n", marker)
	fmt.Fprintf(&b, "}\n}\n")
	return b.String()
}

// Line is Script as one console line, for the console dialogue: the
// serial console takes one line at a time.
func (p Provision) Line(marker string) string {
	l := strings.ReplaceAll(strings.TrimSpace(p.Script(marker)), "\n", "; ")
	l = strings.ReplaceAll(l, "{; ", "{ ")
	return strings.ReplaceAll(l, "; }", " }")
}

// Tool runs a program of e2fsprogs with the cache folder mounted; the chr
// backend runs it in the chr container image, so the user's machine needs
// nothing new. dir is the folder of the files named in args, which are
// relative to it. It returns the program's output.
type Tool func(ctx context.Context, dir string, args []string) ([]byte, error)

// Derived is a provisioned copy of a CHR image.
type Derived struct {
	Path      string
	Partition Partition
	Cached    bool // reused from an earlier run
}

// Derive returns a copy of the image at src, kept in dir, whose RouterOS
// partition holds rw/autorun.scr with script. The copy is named after the
// image and the script's hash, so it is made once and reused; src is never
// modified. The partition is found by its table and label (FindRouterOS),
// the file written with debugfs on image?offset=N (no root, no loop
// device) and read back to verify.
func Derive(ctx context.Context, src, dir, script string, tool Tool) (Derived, error) {
	part, err := FindRouterOS(src)
	if err != nil {
		return Derived{}, fmt.Errorf("provision %s: %w", src, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Derived{}, fmt.Errorf("provision %s: create %s: %w", src, dir, err)
	}
	st, err := os.Stat(src)
	if err != nil {
		return Derived{}, fmt.Errorf("provision %s: %w", src, err)
	}
	base := strings.TrimSuffix(filepath.Base(src), ".img")
	name := base + ".chrlab-" + shortHash(fmt.Sprintf("%s\x00%d\x00%d\x00%s", src, st.Size(), st.ModTime().UnixNano(), script)) + ".img"
	out := filepath.Join(dir, name)
	spec := func(file string) string { return fmt.Sprintf("%s?offset=%d", file, part.Offset) }
	if _, err := os.Stat(out); err == nil {
		if got, err := tool(ctx, dir, []string{"debugfs", "-R", "cat rw/autorun.scr", spec(name)}); err == nil && strings.Contains(string(got), script) {
			return Derived{Path: out, Partition: part, Cached: true}, nil
		}
		// A copy that does not hold the script (interrupted) is made again.
		_ = os.Remove(out)
	}
	tmp, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return Derived{}, fmt.Errorf("provision %s: %w", src, err)
	}
	tmpName := filepath.Base(tmp.Name())
	defer os.Remove(tmp.Name())
	if err := copyInto(tmp, src); err != nil {
		return Derived{}, fmt.Errorf("provision %s: copy into %s: %w", src, tmp.Name(), err)
	}
	scr := tmpName + ".scr"
	cmds := tmpName + ".cmds"
	defer os.Remove(filepath.Join(dir, scr))
	defer os.Remove(filepath.Join(dir, cmds))
	if err := os.WriteFile(filepath.Join(dir, scr), []byte(script), 0o644); err != nil {
		return Derived{}, err
	}
	// rm first: stock images ship a 2-byte rw/autorun.scr and debugfs's
	// write refuses to replace a file. Owner root and mode 0644, as the
	// stock file has.
	c := strings.Join([]string{
		"rm rw/autorun.scr",
		"write " + scr + " rw/autorun.scr",
		"sif rw/autorun.scr uid 0",
		"sif rw/autorun.scr gid 0",
		"sif rw/autorun.scr mode 0100644",
	}, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, cmds), []byte(c), 0o644); err != nil {
		return Derived{}, err
	}
	if outp, err := tool(ctx, dir, []string{"debugfs", "-w", "-f", cmds, spec(tmpName)}); err != nil {
		return Derived{}, fmt.Errorf("provision %s: write rw/autorun.scr with debugfs into %s: %w: %s", src, part, err, strings.TrimSpace(string(outp)))
	}
	got, err := tool(ctx, dir, []string{"debugfs", "-R", "cat rw/autorun.scr", spec(tmpName)})
	if err != nil || !strings.Contains(string(got), script) {
		return Derived{}, fmt.Errorf("provision %s: rw/autorun.scr does not read back from %s (is there an rw/ folder?): %v: %s", src, part, err, strings.TrimSpace(string(got)))
	}
	// CreateTemp made it private; the router container reads it.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return Derived{}, fmt.Errorf("provision %s: %w", src, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return Derived{}, fmt.Errorf("provision %s: %w", src, err)
	}
	return Derived{Path: out, Partition: part}, nil
}

// copyInto copies src into f and closes f.
func copyInto(f *os.File, src string) error {
	in, err := os.Open(src)
	if err != nil {
		f.Close()
		return err
	}
	defer in.Close()
	_, err = io.Copy(f, in)
	return errors.Join(err, f.Close())
}

// shortHash is 12 hex digits of s's SHA-256, for cache file names.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}
