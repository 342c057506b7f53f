// Command vminit is the vminit program of the lab images; its code is in
// internal/vminitcmd, which cmd/chrlab also runs as its vminit role, so that an
// installed chrlab can put itself into the images.
package main

import "github.com/chrlab/chrlab/internal/vminitcmd"

func main() { vminitcmd.Main() }
