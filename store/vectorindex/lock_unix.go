//go:build unix

package vectorindex

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"github.com/ragkb/ragkb"
)

// lockDir takes an exclusive advisory lock on dir, so that two processes
// never write the same index; closing the file releases it (as does the
// process dying).
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "the vector index in " + dir + " is in use by another process", Err: err}
		}
		return nil, err
	}
	return f, nil
}
