package images

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/moby/moby/client"
)

// engineAnswerTimeout bounds the first question to a DOCKER_HOST engine.
const engineAnswerTimeout = 5 * time.Second

// CheckDockerHost pings the engine DOCKER_HOST names, when it names one.
// testcontainers-go tries each place an engine may be (DOCKER_HOST, the
// Docker context, the local socket, ...) and takes the first that answers,
// so an engine the user named that does not answer would silently be
// replaced by the local one: the lab would run somewhere else than asked.
func CheckDockerHost(ctx context.Context) error {
	host := os.Getenv("DOCKER_HOST")
	if host == "" {
		return nil
	}
	c, err := client.New(client.FromEnv)
	if err != nil {
		return fmt.Errorf("connect to the Docker engine at DOCKER_HOST=%s: %w", host, err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, engineAnswerTimeout)
	defer cancel()
	if _, err := c.Ping(ctx, client.PingOptions{}); err != nil {
		return fmt.Errorf("reach the Docker engine at DOCKER_HOST=%s (unset DOCKER_HOST to use the local engine): %w", host, err)
	}
	return nil
}
