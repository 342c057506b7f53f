package initramfs

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fakeDep is a modules.dep in the kernel's format: dependencies listed
// deepest last, and a module (nft_masq) sharing dependencies with another.
const fakeDep = `kernel/lib/libcrc32c.ko:
kernel/net/netfilter/nfnetlink.ko:
kernel/net/netfilter/nf_tables.ko: kernel/net/netfilter/nfnetlink.ko kernel/lib/libcrc32c.ko
kernel/net/netfilter/nf_conntrack.ko: kernel/lib/libcrc32c.ko
kernel/net/netfilter/nf_nat.ko: kernel/net/netfilter/nf_conntrack.ko kernel/lib/libcrc32c.ko
kernel/net/netfilter/nft_masq.ko: kernel/net/netfilter/nf_tables.ko kernel/net/netfilter/nfnetlink.ko kernel/net/netfilter/nf_nat.ko kernel/net/netfilter/nf_conntrack.ko kernel/lib/libcrc32c.ko
kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko
kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
kernel/net/core/failover.ko:
kernel/crypto/crc32c-generic.ko:
kernel/net/broken.ko: kernel/net/missing.ko
`

func TestResolve(t *testing.T) {
	md, err := ParseModuleDeps(strings.NewReader(fakeDep), strings.NewReader("kernel/net/packet/af_packet.ko\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := md.Resolve([]string{"crc32c_generic", "nft_masq", "af_packet", "virtio-net", "nf_nat"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"kernel/crypto/crc32c-generic.ko",
		"kernel/lib/libcrc32c.ko",
		"kernel/net/netfilter/nf_conntrack.ko",
		"kernel/net/netfilter/nf_nat.ko",
		"kernel/net/netfilter/nfnetlink.ko",
		"kernel/net/netfilter/nf_tables.ko",
		"kernel/net/netfilter/nft_masq.ko",
		"kernel/net/core/failover.ko",
		"kernel/drivers/net/net_failover.ko",
		"kernel/drivers/net/virtio_net.ko",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Every module comes after each of its dependencies.
	pos := map[string]int{}
	for i, p := range got {
		pos[p] = i
	}
	for _, p := range got {
		for _, d := range md.deps[p] {
			if pos[d] > pos[p] {
				t.Errorf("%s loads before its dependency %s", p, d)
			}
		}
	}

	if _, err := md.Resolve([]string{"nft_masq", "nft_nope"}); err == nil || !strings.Contains(err.Error(), "nft_nope") {
		t.Errorf("Resolve with an unknown module: error %v, want one naming nft_nope", err)
	}
	if _, err := md.Resolve([]string{"broken"}); err == nil || !strings.Contains(err.Error(), "missing.ko") {
		t.Errorf("Resolve with a dangling dependency: error %v, want one naming missing.ko", err)
	}
}

func TestParseModuleDepsError(t *testing.T) {
	if _, err := ParseModuleDeps(strings.NewReader("kernel/a.ko kernel/b.ko\n"), nil); err == nil {
		t.Error("ParseModuleDeps accepted a line without a colon")
	}
}

// TestBuild assembles an initramfs from a fake root (ELF binaries from
// this machine stand in for vminit, rosemu and nft) and reads the archive
// back: /init, the module list in load order, the libraries of nft.
func TestBuild(t *testing.T) {
	root, self, write := fakeRoot(t)
	kdir := "lib/modules/6.1.0-test"
	write(kdir+"/modules.dep", []byte(fakeDep))
	for _, l := range strings.Split(fakeDep, "\n") {
		if m, _, ok := strings.Cut(l, ":"); ok {
			write(kdir+"/"+m, []byte("module "+m))
		}
	}
	// A statically linked test binary needs no libraries: nft's list is
	// then just what SharedLibs finds, which for a static binary is none.
	write("usr/local/bin/vminit", self)
	write("usr/local/bin/rosemu", self)
	write("usr/sbin/nft", self)

	var buf bytes.Buffer
	s, err := Build(Options{Root: root, Modules: []string{"nft_masq"}, Init: "/usr/local/bin/vminit", Rosemu: "/usr/local/bin/rosemu", Nft: "/usr/sbin/nft"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kernel != "6.1.0-test" || len(s.Modules) != 6 || s.Modules[5] != "nft_masq" {
		t.Errorf("summary = %+v, want kernel 6.1.0-test and 6 modules ending with nft_masq", s)
	}
	files := readCPIO(t, buf.Bytes())
	if !bytes.Equal(files["init"], self) {
		t.Errorf("/init is not vminit (%d bytes)", len(files["init"]))
	}
	// vminit and rosemu are the same bytes here, as with an installed
	// chrlab: rosemu is a link to /init.
	if got := string(files["bin/rosemu"]); got != "/init" {
		t.Errorf("/bin/rosemu = %.20q, want a link to /init when it is the same program", got)
	}
	// The control: a rosemu of its own is copied in.
	write("usr/local/bin/rosemu", []byte("another rosemu"))
	// (A buffer of its own: files holds slices of the first archive.)
	var buf2 bytes.Buffer
	if _, err := Build(Options{Root: root, Modules: []string{"nft_masq"}, Init: "/usr/local/bin/vminit", Rosemu: "/usr/local/bin/rosemu", Nft: "/usr/sbin/nft"}, &buf2); err != nil {
		t.Fatal(err)
	}
	if got := string(readCPIO(t, buf2.Bytes())["bin/rosemu"]); got != "another rosemu" {
		t.Errorf("a distinct rosemu: /bin/rosemu = %.20q, want its own bytes", got)
	}
	list := string(files["etc/chrlab/modules"])
	if !strings.HasPrefix(list, "/lib/modules/6.1.0-test/kernel/lib/libcrc32c.ko\n") || !strings.HasSuffix(list, "nft_masq.ko\n") {
		t.Errorf("module list =\n%s", list)
	}
	if string(files["lib/modules/6.1.0-test/kernel/net/netfilter/nf_nat.ko"]) != "module kernel/net/netfilter/nf_nat.ko" {
		t.Errorf("nf_nat.ko missing or wrong in the archive")
	}
	if _, ok := files["dev/console"]; !ok {
		t.Errorf("no /dev/console in the archive")
	}
}

// fakeRoot makes a root for Build to take files from: write puts a file
// into it; self is this test binary, an ELF that stands in for programs.
func fakeRoot(t *testing.T) (root string, self []byte, write func(p string, data []byte)) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if self, err = os.ReadFile(exe); err != nil {
		t.Fatal(err)
	}
	root = t.TempDir()
	write = func(p string, data []byte) {
		t.Helper()
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root, self, write
}

// readCPIO parses a newc archive into name -> data, checking the framing.
func readCPIO(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	hex := func(s []byte) int {
		var n int
		for _, c := range s {
			n <<= 4
			switch {
			case c >= '0' && c <= '9':
				n |= int(c - '0')
			case c >= 'A' && c <= 'F':
				n |= int(c-'A') + 10
			default:
				t.Fatalf("bad hex %q in cpio header", s)
			}
		}
		return n
	}
	align := func(n int) int { return (n + 3) &^ 3 }
	for off := 0; ; {
		h := b[off : off+110]
		if string(h[:6]) != "070701" {
			t.Fatalf("bad cpio magic at %d: %q", off, h[:6])
		}
		size, namesize := hex(h[54:62]), hex(h[94:102])
		name := string(b[off+110 : off+110+namesize-1])
		data := align(off + 110 + namesize)
		if name == "TRAILER!!!" {
			return out
		}
		out[name] = b[data : data+size]
		off = align(data + size)
	}
}

// TestSharedLibsRunpath: Debian's charon finds libstrongswan and
// libcharon through its RUNPATH (/usr/lib/ipsec), not the linker's
// default directories; SharedLibs followed only those and failed with
// "find library libstrongswan.so.0, needed by /usr/lib/ipsec/charon"
// (ipsec74). This machine's strongSwan (scripts/ensure-strongswan.sh,
// which make test runs for rosemu's IPsec tests) is the input.
func TestSharedLibsRunpath(t *testing.T) {
	const charon = "/usr/lib/ipsec/charon"
	if _, err := os.Stat(charon); err != nil {
		t.Skip("strongSwan's charon is not installed here (scripts/ensure-strongswan.sh)")
	}
	libs, err := SharedLibs("/", charon)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/usr/lib/ipsec/libstrongswan.so.0", "/usr/lib/ipsec/libcharon.so.0"} {
		if !slices.Contains(libs, want) {
			t.Errorf("SharedLibs(%s) = %v, want %s among them", charon, libs, want)
		}
	}
}

// TestBuildProgramDirectory: a directory among the programs puts every
// file below it into the archive, an ELF one with its libraries (charon's
// plugins), another as it is (its configuration).
func TestBuildProgramDirectory(t *testing.T) {
	root, self, write := fakeRoot(t)
	write("lib/modules/6.1.0-test/modules.dep", []byte(""))
	write("usr/local/bin/vminit", self)
	write("usr/sbin/nft", self)
	write("usr/lib/ipsec/plugins/libstrongswan-vici.so", self)
	write("etc/strongswan.d/charon/vici.conf", []byte("vici {}\n"))
	var buf bytes.Buffer
	_, err := Build(Options{Root: root, Init: "/usr/local/bin/vminit", Rosemu: "/usr/local/bin/vminit", Nft: "/usr/sbin/nft",
		Programs: []string{"/usr/lib/ipsec/plugins", "/etc/strongswan.d"}}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	files := readCPIO(t, buf.Bytes())
	if !bytes.Equal(files["usr/lib/ipsec/plugins/libstrongswan-vici.so"], self) || string(files["etc/strongswan.d/charon/vici.conf"]) != "vici {}\n" {
		t.Errorf("archive lacks the directories' files: %d bytes of the plugin, %q", len(files["usr/lib/ipsec/plugins/libstrongswan-vici.so"]), files["etc/strongswan.d/charon/vici.conf"])
	}
}
