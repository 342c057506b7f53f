package guest

import "os"

// KVMUsable reports whether QEMU can use KVM here, and if not, why.
// /dev/kvm must open; and the host's KVM must not be PVM (the kvm_pvm
// module of some cloud sandboxes, these machines among them), which opens
// fine but runs only guest kernels built for PVM: a stock kernel or CHR
// hangs in its first instructions there, so TCG is the only accelerator
// that works. The launcher and the harness both ask, so they agree.
func KVMUsable() (bool, string) {
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err != nil {
		return false, err.Error()
	}
	f.Close()
	if _, err := os.Stat("/sys/module/kvm_pvm"); err == nil {
		return false, "/dev/kvm is PVM (kvm_pvm), which boots only PVM-built guest kernels"
	}
	return true, ""
}
