// Command labagent is the labagent program of the lab images; its code is in
// internal/agentcmd, which cmd/chrlab also runs as its labagent role, so that an
// installed chrlab can put itself into the images.
package main

import "github.com/chrlab/chrlab/internal/agentcmd"

func main() { agentcmd.Main() }
