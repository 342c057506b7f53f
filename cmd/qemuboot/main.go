// Command qemuboot is the qemuboot program of the lab images; its code is in
// internal/qemubootcmd, which cmd/chrlab also runs as its qemuboot role, so that an
// installed chrlab can put itself into the images.
package main

import "github.com/chrlab/chrlab/internal/qemubootcmd"

func main() { qemubootcmd.Main() }
