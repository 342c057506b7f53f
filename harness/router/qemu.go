package router

import (
	"github.com/chrlab/chrlab/harness/chr"
	"github.com/chrlab/chrlab/harness/lab"
)

// accel says how the guest CPU runs, for the report.
func accel(kvm bool) string {
	if kvm {
		return "QEMU with KVM"
	}
	_, why := lab.KVMUsable()
	return "QEMU with TCG (" + why + ")"
}

func cacheDir(o Options) string {
	if o.CacheDir != "" {
		return o.CacheDir
	}
	d, err := chr.DefaultCacheDir()
	if err != nil {
		// Without a home folder there is no cache; a relative one keeps
		// the messages meaningful.
		return ".cache/chrlab"
	}
	return d
}

func chrAvailable(version, cache string) bool { return chr.Available(version, cache) }
