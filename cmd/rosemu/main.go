// Command rosemu is the rosemu program of the lab images; its code is in
// internal/rosemucmd, which cmd/chrlab also runs as its rosemu role, so that an
// installed chrlab can put itself into the images.
package main

import "github.com/chrlab/chrlab/internal/rosemucmd"

func main() { rosemucmd.Main() }
