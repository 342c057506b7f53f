package vminitcmd

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The guest's disk is laid out like a CHR image; as RouterOS does at boot,
// vminit runs rw/autorun.scr from the ext3 partition labelled RouterOS
// once (through rosemu) and deletes it.
const (
	routerOSLabel = "RouterOS"
	rosMount      = "/mnt/routeros"
	autorunCopy   = "/run/autorun.scr"
	// diskWait bounds the wait for the IDE disk's partitions: the SCSI scan
	// runs after the driver loads, seconds later under TCG on a busy host.
	diskWait = 30 * time.Second
)

// takeAutorun finds the RouterOS partition among the guest's block devices,
// moves rw/autorun.scr out of it into autorunCopy and returns that path,
// or "" when the partition holds none. No RouterOS partition is an error:
// CHR does not boot without one.
func takeAutorun() (string, error) {
	dev, err := findRouterOS()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(rosMount, 0o755); err != nil {
		return "", err
	}
	// ext4 mounts the ext3 file system CHR images carry.
	if err := unix.Mount(dev, rosMount, "ext4", 0, ""); err != nil {
		return "", fmt.Errorf("mount the RouterOS partition %s: %w", dev, err)
	}
	defer func() {
		unix.Sync()
		if err := unix.Unmount(rosMount, 0); err != nil {
			logf("unmount %s: %v", rosMount, err)
		}
	}()
	if _, err := os.Stat(filepath.Join(rosMount, "rw")); err != nil {
		return "", fmt.Errorf("read the RouterOS partition %s: no rw/ folder: %w", dev, err)
	}
	src := filepath.Join(rosMount, "rw", "autorun.scr")
	data, err := os.ReadFile(src)
	if errors.Is(err, os.ErrNotExist) {
		logf("RouterOS partition %s: no rw/autorun.scr", dev)
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s on %s: %w", "rw/autorun.scr", dev, err)
	}
	if err := os.Remove(src); err != nil {
		return "", fmt.Errorf("remove rw/autorun.scr from %s: %w", dev, err)
	}
	if err := os.WriteFile(autorunCopy, data, 0o600); err != nil {
		return "", err
	}
	logf("RouterOS partition %s: rw/autorun.scr (%d bytes) runs once through rosemu", dev, len(data))
	return autorunCopy, nil
}

// findRouterOS returns the partition device whose ext superblock carries
// the label RouterOS, waiting briefly for the disk driver to find it.
func findRouterOS() (string, error) {
	deadline := time.Now().Add(diskWait)
	for {
		parts, _ := filepath.Glob("/sys/class/block/*/partition")
		var seen []string
		for _, p := range parts {
			name := filepath.Base(filepath.Dir(p))
			dev := "/dev/" + name
			label, ok := extLabel(dev)
			if ok && label == routerOSLabel {
				return dev, nil
			}
			seen = append(seen, fmt.Sprintf("%s (ext %v, label %q)", dev, ok, label))
		}
		if time.Now().After(deadline) {
			if len(seen) == 0 {
				return "", fmt.Errorf("find the RouterOS partition: the guest has no disk partitions after %s", diskWait)
			}
			return "", fmt.Errorf("find the RouterOS partition: none of %s is labelled %s", strings.Join(seen, ", "), routerOSLabel)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// extLabel reads the ext superblock 1024 bytes into dev: magic 0xEF53 at
// +56, volume name at +120.
func extLabel(dev string) (string, bool) {
	f, err := os.Open(dev)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sb := make([]byte, 136)
	if _, err := f.ReadAt(sb, 1024); err != nil && err != io.EOF {
		return "", false
	}
	if binary.LittleEndian.Uint16(sb[56:]) != 0xEF53 {
		return "", false
	}
	return string(bytes.TrimRight(sb[120:136], "\x00")), true
}
