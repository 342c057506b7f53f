package images

import (
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
// initramfs are in it.
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
}
