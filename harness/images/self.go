package images

import (
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// binary returns the bytes of the program an image runs as bin: the
// executable of Options.Executable when set (an installed chrlab, which
// acts as every role by the name it is called as), otherwise pkg built
// from the checkout.
func (b *builder) binary(ctx context.Context, pkg, bin string) ([]byte, error) {
	if b.opts.Executable == "" {
		if ch, ok := b.prebuilt[pkg]; ok {
			r := <-ch
			ch <- r // a second image of the same package finds it too
			return r.data, r.err
		}
		return b.goBuild(ctx, pkg, bin)
	}
	if b.self == nil {
		data, err := ReadSelf(b.opts.Executable)
		if err != nil {
			return nil, err
		}
		b.self = data
		b.logf("using %s (%d KiB) as labagent, rosemu, qemuboot and vminit: no checkout to build them from", b.opts.Executable, len(data)/1024)
	}
	return b.self, nil
}

// inCheckout reports whether root is a checkout with the Go sources of
// the image programs; the tree an installed chrlab writes out is not.
func inCheckout(root string) bool {
	_, err := os.Stat(filepath.Join(root, "go.mod"))
	return err == nil
}

// elfMachines maps the Go architectures chrlab's images run on to their
// ELF machine, to tell an executable for another architecture.
var elfMachines = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

// ReadSelf reads a chrlab executable to copy into the images and checks
// that it can run there: a Linux ELF for this machine's architecture
// with no dynamic loader (the images' Debian need not have the libc it
// was linked against). go install gives one with CGO_ENABLED=0.
func ReadSelf(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the chrlab executable to put into the images: %w", err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("put %s into the images: not a Linux executable: %w", path, err)
	}
	defer f.Close()
	if want, ok := elfMachines[runtime.GOARCH]; !ok || f.Machine != want {
		return nil, fmt.Errorf("put %s into the images: it is built for %s, the images run %s/%s", path, f.Machine, runtime.GOOS, runtime.GOARCH)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return nil, fmt.Errorf("put %s into the images: it is dynamically linked and would not run in them; install it static: CGO_ENABLED=0 go install github.com/chrlab/chrlab/cmd/chrlab@latest", path)
		}
	}
	return data, nil
}

// built is the outcome of one go build started ahead.
type built struct {
	data []byte
	err  error
}

// prebuild starts go build of pkg now, so that the builds of the images'
// programs run side by side (each is mostly a link, about a second) while
// the images before them are checked; binary takes the result.
func (b *builder) prebuild(ctx context.Context, pkg, bin string) {
	if b.opts.Executable != "" {
		return
	}
	if _, ok := b.prebuilt[pkg]; ok {
		return
	}
	ch := make(chan built, 1)
	b.prebuilt[pkg] = ch
	go func() {
		data, err := b.goBuild(ctx, pkg, bin)
		ch <- built{data, err}
	}()
}
