package images

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// aptMirror returns the first Debian archive URI this machine's apt uses,
// in apt's own order: sources.list, then sources.list.d/*.list and *.sources
// in lexical order. Security archives are skipped: debootstrap needs the
// main archive. etc is /etc/apt, a parameter for tests.
func aptMirror(etc string) (string, error) {
	files := []string{filepath.Join(etc, "sources.list")}
	d, _ := filepath.Glob(filepath.Join(etc, "sources.list.d", "*"))
	sort.Strings(d)
	for _, f := range d {
		// apt reads only these two suffixes; "x.list.disabled" is ignored.
		if strings.HasSuffix(f, ".list") || strings.HasSuffix(f, ".sources") {
			files = append(files, f)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var uri string
		if strings.HasSuffix(f, ".sources") {
			uri = firstDeb822URI(string(data))
		} else {
			uri = firstOneLineURI(string(data))
		}
		if uri != "" {
			return uri, nil
		}
	}
	return "", fmt.Errorf("find a Debian mirror in %s: no deb line; set images.Options.Mirror", etc)
}

// firstOneLineURI reads "deb [options] uri suite components" lines.
func firstOneLineURI(text string) string {
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(strings.TrimSpace(line))
		if len(f) < 3 || f[0] != "deb" {
			continue
		}
		f = f[1:]
		if strings.HasPrefix(f[0], "[") {
			for len(f) > 0 && !strings.HasSuffix(f[0], "]") {
				f = f[1:]
			}
			if len(f) > 0 {
				f = f[1:]
			}
		}
		if len(f) >= 2 && usableMirror(f[0], f[1:2]) {
			return f[0]
		}
	}
	return ""
}

// firstDeb822URI reads deb822 stanzas (Types:, URIs:, Suites:), separated by
// blank lines.
func firstDeb822URI(text string) string {
	for _, stanza := range strings.Split(text, "\n\n") {
		fields := map[string]string{}
		for _, line := range strings.Split(stanza, "\n") {
			if strings.HasPrefix(line, "#") {
				continue
			}
			k, v, ok := strings.Cut(line, ":")
			if ok && !strings.HasPrefix(k, " ") {
				fields[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
		if strings.EqualFold(fields["enabled"], "no") || !contains(strings.Fields(fields["types"]), "deb") {
			continue
		}
		uris := strings.Fields(fields["uris"])
		if len(uris) > 0 && usableMirror(uris[0], strings.Fields(fields["suites"])) {
			return uris[0]
		}
	}
	return ""
}

func usableMirror(uri string, suites []string) bool {
	if !strings.HasPrefix(uri, "http://") && !strings.HasPrefix(uri, "https://") && !strings.HasPrefix(uri, "file:") {
		return false
	}
	for _, s := range suites {
		if strings.HasSuffix(s, "-security") || strings.HasSuffix(s, "/updates") {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// removeRootfs unmounts whatever debootstrap left mounted below dir and then
// deletes it. debootstrap bind-mounts /dev nodes when it runs in a
// container (as here) and mounts /proc and /sys: were it killed midway,
// a plain RemoveAll would walk into those mounts. If any mount remains,
// the directory is kept and the error says so.
func removeRootfs(dir string) error {
	mounts, err := mountsUnder(dir)
	if err != nil {
		return err
	}
	// Deepest first, so that nested mounts come off before their parents.
	sort.Slice(mounts, func(i, j int) bool { return len(mounts[i]) > len(mounts[j]) })
	var errs []error
	for _, m := range mounts {
		if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil {
			errs = append(errs, fmt.Errorf("unmount %s: %w", m, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("remove the rootfs %s: left in place because mounts remain: %w", dir, errors.Join(errs...))
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove the rootfs %s: %w", dir, err)
	}
	return nil
}

// mountsUnder lists the mount points strictly below dir.
func mountsUnder(dir string) ([]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("read mounts to clean the rootfs %s: %w", dir, err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMountinfo(fields[4])
		if strings.HasPrefix(mp, dir+"/") {
			out = append(out, mp)
		}
	}
	return out, sc.Err()
}

// unescapeMountinfo decodes the octal escapes (\040 for a space) of
// /proc/self/mountinfo.
func unescapeMountinfo(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// processGroup puts a child in its own process group so that killGroup can
// stop it together with its children.
func processGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
