package config

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

type memFiles map[string]string

func (m memFiles) ReadFile(name string) ([]byte, error) {
	if d, ok := m[strings.TrimPrefix(name, "/")]; ok {
		return []byte(d), nil
	}
	return nil, fs.ErrNotExist
}

func TestImport(t *testing.T) {
	f := memFiles{
		"good.rsc": "/ip address\nadd address=10.0.0.1/24 interface=ether1\n",
		"bad.rsc":  "/ip address\nadd address=10.0.1.1/24 interface=ether1\nadd address=10.0.2.1/24 interfaze=ether1\n",
	}
	r := New(Options{Ports: []string{"ether1"}, Files: f})
	ctx := context.Background()
	out, err := r.Run(ctx, "/import file-name=good.rsc")
	if err != nil || !strings.Contains(out, "Script file loaded and executed successfully") || !strings.Contains(r.Export(), "10.0.0.1/24") {
		t.Fatalf("good: %q, %v", out, err)
	}
	// The error is placed in the imported file, and nothing of it is kept.
	if _, err := r.Run(ctx, "/import bad.rsc"); err == nil || err.Error() != "expected end of command (line 3 column 25)" {
		t.Fatalf("bad: %v", err)
	}
	if strings.Contains(r.Export(), "10.0.1.1") {
		t.Error("a failed import was kept")
	}
	if _, err := r.Run(ctx, "/import file-name=none.rsc"); err == nil || !strings.Contains(err.Error(), "no such file none.rsc") {
		t.Errorf("missing: %v", err)
	}
	// A file the kernel then refuses did not execute successfully: the
	// console says only why (a large configuration once read "Script file
	// loaded and executed successfully" above the kernel's refusal).
	k := &fakeKernel{fail: errors.New("nft: no such table")}
	rk := New(Options{Ports: []string{"ether1"}, Files: f, Kernel: k})
	out, err = rk.Run(ctx, "/import file-name=good.rsc")
	if err == nil || strings.Contains(out, "successfully") {
		t.Errorf("import the kernel refused: %q, %v", out, err)
	}
	k.fail = nil
	if out, err = rk.Run(ctx, "/import file-name=good.rsc"); err != nil || !strings.Contains(out, "executed successfully") {
		t.Errorf("import the kernel took: %q, %v", out, err)
	}
	// The API reaches /import too.
	f["api.rsc"] = "/ip address add address=10.0.3.1/24 interface=ether1\n"
	if _, _, err := r.Command(ctx, "/import", map[string]string{"file-name": "api.rsc"}); err != nil || !strings.Contains(r.Export(), "10.0.3.1/24") {
		t.Errorf("api import: %v", err)
	}
	// Without a file store nothing can be imported.
	r2 := New(Options{Ports: []string{"ether1"}})
	if _, err := r2.Run(ctx, "/import file-name=good.rsc"); err == nil {
		t.Error("import without files succeeded")
	}
}
