//go:build !unix

package vectorindex

import (
	"os"
	"path/filepath"
)

// lockDir only creates the lock file where advisory locks are not available.
func lockDir(dir string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o600)
}
