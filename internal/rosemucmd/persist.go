package rosemucmd

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/chrlab/chrlab/rosemu/config"
)

// savedConfig is the file, in the state folder on the container's disk,
// that holds the committed configuration as an export. RouterOS keeps its
// configuration across a reboot; rosemu's lives in memory, so without this
// a `docker restart` of the router would bring back a blank router.
const savedConfig = "config.rsc"

// saver writes the export after every commit. Commit hooks run under the
// router's lock and must not call back into it, so the hook only wakes the
// saver, which exports once the commit is done; wakes that arrive while it
// writes fold into one more save.
type saver struct {
	path string
	wake chan struct{}
	log  *slog.Logger
}

func newSaver(stateDir string, log *slog.Logger) *saver {
	return &saver{path: filepath.Join(stateDir, savedConfig), wake: make(chan struct{}, 1), log: log}
}

// Wake is the commit hook.
func (s *saver) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run saves after each wake until ctx ends.
func (s *saver) Run(ctx context.Context, r *config.Router) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.wake:
			if err := s.save(r.Export()); err != nil {
				s.log.Error("save configuration", "file", s.path, "error", err)
			}
		}
	}
}

// save replaces the file atomically, so that a restart in the middle of a
// write finds the previous configuration rather than half of one.
func (s *saver) save(export string) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("create state folder: %w", err)
	}
	tmp := s.path + ".new"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(export); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, s.path)
}

// saved reports whether a configuration was saved: the router has booted
// before. What a fresh CHR creates at its first boot (the DHCP client on
// ether1) is then part of the saved configuration, or was removed from it,
// and is not created again.
func (s *saver) saved() bool {
	_, err := os.Stat(s.path)
	return err == nil
}

// restore applies the saved configuration at start, as RouterOS boots with
// the configuration it had. One that no longer applies (a newer rosemu
// refusing it) is kept beside as config.rsc.bad and the router starts
// blank, logging why, rather than not starting at all.
func (s *saver) restore(ctx context.Context, r *config.Router) error {
	src, err := os.ReadFile(s.path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read saved configuration: %w", err)
	}
	if strings.TrimSpace(string(src)) == "" {
		return nil
	}
	if _, err := r.Run(ctx, string(src)); err != nil {
		_ = os.Rename(s.path, s.path+".bad")
		return fmt.Errorf("apply saved configuration %s (kept as %s.bad): %w", s.path, s.path, err)
	}
	s.log.Info("configuration restored", "file", s.path, "bytes", len(src))
	return nil
}
