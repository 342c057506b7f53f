package images

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeepModule(t *testing.T) {
	for rel, want := range map[string]bool{
		"kernel/net/netfilter/nf_tables.ko":          true,
		"kernel/drivers/net/virtio_net.ko":           true,
		"kernel/drivers/net/ethernet/intel/e1000.ko": false,
		"kernel/drivers/virtio/virtio_pci.ko":        true,
		"kernel/sound/core/snd.ko":                   false,
		"kernel/crypto/crc32c_generic.ko":            true,
	} {
		if got := keepModule(rel); got != want {
			t.Errorf("keepModule(%s) = %v, want %v", rel, got, want)
		}
	}
}

func TestChrPackages(t *testing.T) {
	root, err := FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := readPackages(filepath.Join(root, "images", "chr", "packages"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"qemu-system-x86", "linux-image-amd64", "nftables"} {
		if !strings.Contains(" "+strings.Join(pkgs, " ")+" ", " "+want+" ") {
			t.Errorf("images/chr/packages lacks %s: %v", want, pkgs)
		}
	}
}

// TestEnsureChr builds the chr image (a second debootstrap of about 80 s
// when its rootfs is missing) and checks that the vm guest's kernel and
// initramfs are in it, and that the guest can run strongSwan: charon,
// its plugins and swanctl find every library they need in the
// initramfs (the dynamic linker, chrooted into the unpacked archive,
// lists them), so the vm backend runs IPsec as rosemu does. The image
// before ipsec74 failed it: the archive had no /usr/lib/ipsec/charon.
func TestEnsureChr(t *testing.T) {
	ctx := imageTest(t, "builds the chr image", 15*time.Minute)
	start := time.Now()
	imgs, err := Ensure(ctx, Options{Progress: &testWriter{t: t}, VM: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Ensure with VM: %.1fs, chr %s", time.Since(start).Seconds(), imgs.Chr)
	if !strings.HasPrefix(imgs.Chr, "chrlab/chr:") {
		t.Fatalf("Chr = %q, want chrlab/chr:<hash>", imgs.Chr)
	}
	// Each line of the script fails the container when the guest lacks
	// the file or a library of it ("not found" from the linker's list).
	script := `set -e
test -s /boot/vmlinuz
mkdir /g && cd /g && cpio -id --quiet < /boot/chrlab-vm.cpio
for f in /usr/lib/ipsec/charon /usr/sbin/swanctl /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so /usr/lib/ipsec/plugins/libstrongswan-vici.so /usr/lib/ipsec/plugins/libstrongswan-aes.so /usr/lib/ipsec/plugins/libstrongswan-sha2.so /usr/lib/ipsec/plugins/libstrongswan-socket-default.so /usr/lib/ipsec/plugins/libstrongswan-kernel-netlink.so /usr/bin/unshare /usr/bin/mount /usr/bin/sh; do
  out=$(chroot /g /lib64/ld-linux-x86-64.so.2 --list "$f")
  if echo "$out" | grep -q 'not found'; then echo "$f: $out"; exit 1; fi
done
test -f /g/etc/strongswan.conf
# glibc opens it at pthread_cancel; swanctl aborted without it.
test -f /g/usr/lib/x86_64-linux-gnu/libgcc_s.so.1
echo guest runs strongSwan
`
	out, err := exec.CommandContext(ctx, "docker", "run", "--rm", "--entrypoint", "sh", imgs.Chr, "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("the vm guest cannot run strongSwan: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "guest runs strongSwan") {
		t.Errorf("the check of the guest's root said %q", out)
	}
}
