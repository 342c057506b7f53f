package lab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// ToolDir is where RunTool mounts the folder it is given.
const ToolDir = "/chrlab/work"

// RunTool runs args in a throwaway container of image with the host folder
// dir mounted read-write at ToolDir as the working directory, without any
// network, as this machine's user, and returns its output (stdout then
// stderr). It is how the harness runs e2fsprogs from the chr image, so the
// user's machine needs nothing new. The container is removed in every
// case, also when ctx ends.
func RunTool(ctx context.Context, image, dir string, args []string) (out []byte, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("run %s in %s: %w", args[0], image, err)
	}
	docker, err := newDockerClient(ctx)
	if err != nil {
		return nil, err
	}
	defer docker.Close()
	res, err := docker.ContainerCreate(ctx, client.ContainerCreateOptions{
		Image: image,
		Config: &container.Config{
			Entrypoint: args[:1], Cmd: args[1:], WorkingDir: ToolDir,
			User:   fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid()),
			Labels: map[string]string{LabelKey: "1", LabelNode: "tool"},
			// No network at all, and no Docker network hook (container.go).
			NetworkDisabled: true,
		},
		HostConfig: &container.HostConfig{NetworkMode: "none", Binds: []string{abs + ":" + ToolDir}},
	})
	if err != nil {
		return nil, fmt.Errorf("create a %s container from %s: %w", args[0], image, err)
	}
	id := res.ID
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), removeTimeout)
		defer cancel()
		if _, rerr := docker.ContainerRemove(rctx, id, client.ContainerRemoveOptions{Force: true}); rerr != nil && err == nil {
			err = fmt.Errorf("remove the %s container %s: %w", args[0], id[:12], rerr)
		}
	}()
	if _, err := docker.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return nil, fmt.Errorf("start %s in %s: %w", args[0], image, err)
	}
	wait := docker.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	var code int64
	select {
	case r := <-wait.Result:
		code = r.StatusCode
	case err := <-wait.Error:
		return nil, fmt.Errorf("wait for %s in %s: %w", args[0], image, err)
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	logs, err := docker.ContainerLogs(lctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return nil, fmt.Errorf("read the output of %s: %w", args[0], err)
	}
	defer logs.Close()
	var stdout, stderr bytes.Buffer
	if _, err := stdcopy.StdCopy(&stdout, &stderr, logs); err != nil {
		return nil, fmt.Errorf("read the output of %s: %w", args[0], err)
	}
	out = append(stdout.Bytes(), stderr.Bytes()...)
	if code != 0 {
		return out, fmt.Errorf("%s exited with status %d", args[0], code)
	}
	return out, nil
}
