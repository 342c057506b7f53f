package sshd

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"
)

// HostKeyFile is the name of the host key file inside Server.StateDir, an
// OpenSSH-format ed25519 private key.
const HostKeyFile = "ssh_host_ed25519_key"

// loadHostKey returns the host key kept in dir, generating and saving one
// on first use so that clients see the same key across restarts, as they do
// with a real router. An empty dir gives a fresh key that lives in memory.
func loadHostKey(dir string) (ssh.Signer, error) {
	if dir == "" {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("generate SSH host key: %w", err)
		}
		return ssh.NewSignerFromKey(priv)
	}
	path := filepath.Join(dir, HostKeyFile)
	data, err := os.ReadFile(path)
	if err == nil {
		signer, err := ssh.ParsePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("parse SSH host key %s: %w", path, err)
		}
		return signer, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read SSH host key: %w", err)
	}

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate SSH host key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "rosemu host key")
	if err != nil {
		return nil, fmt.Errorf("encode SSH host key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create SSH state directory: %w", err)
	}
	// Write to a temporary file and rename it, so that a crash or a second
	// server starting at the same time never leaves a half-written key.
	tmp, err := os.CreateTemp(dir, HostKeyFile+".*")
	if err != nil {
		return nil, fmt.Errorf("create SSH host key file in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("write SSH host key %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("write SSH host key %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("save SSH host key as %s: %w", path, err)
	}
	return ssh.NewSignerFromKey(priv)
}
