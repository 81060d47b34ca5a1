// Package migrations holds the goose SQL migrations, embedded in the binary.
package migrations

import "embed"

// FS is the set of migration files, applied in the order of their numeric prefix.
//
//go:embed *.sql
var FS embed.FS
