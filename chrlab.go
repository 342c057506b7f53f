// Package chrlab holds the files a chrlab run reads (the labs, the
// scenarios and the sources of the lab images), embedded so that an
// installed chrlab runs with no checkout: internal/embedded writes them
// out once and the command uses that copy when no repository is found
// above the working directory.
package chrlab

import "embed"

// Files is labs/*.yaml and .rsc, scenarios/<name>/* and images/<image>/*.
// The scenarios folder's own Go test files stay out: only the folders of
// the scenarios are embedded.
//
//go:embed labs images scenarios/*/*
var Files embed.FS
