package httpclient

import "flag"

// update is the -update flag of 'go test ./... -update', which rewrites the
// golden files of the packages that have them. This package has none; it
// takes the flag so that the command runs here too.
var _ = flag.Bool("update", false, "rewrite golden files (this package has none)")
