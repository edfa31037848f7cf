package ragkb

import (
	"errors"
	"strings"
	"syscall"
)

// Storage fault messages, shown to merchants and operators as they are.
const (
	MsgDiskFull = "the server's disk is full"
	MsgReadOnly = "the server's data directory is read-only"
	// MsgDatabaseUnavailable is a transient database error (a restart, a
	// lost connection): worth retrying.
	MsgDatabaseUnavailable = "the database is temporarily unavailable"
)

// IsDatabaseUnavailable reports whether err is a transient database error.
func IsDatabaseUnavailable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == EUNAVAILABLE && e.Message == MsgDatabaseUnavailable
}

// StorageFault returns an EUNAVAILABLE *Error saying in plain words that the
// server's disk is full or read-only, followed by what could not be done
// ("the vectors could not be saved"), when err was caused by ENOSPC,
// EDQUOT or EROFS; otherwise nil.
func StorageFault(what string, err error) *Error {
	var msg string
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		msg = MsgDiskFull
	case errors.Is(err, syscall.EROFS):
		msg = MsgReadOnly
	default:
		return nil
	}
	if what != "" {
		msg += ": " + what
	}
	return &Error{Code: EUNAVAILABLE, Message: msg, Err: err}
}

// IsStorageFault reports whether err says the server's disk is full or read-only.
func IsStorageFault(err error) bool {
	return StorageFaultKind(err) != ""
}

// StorageFaultKind is "disk_full", "read_only" or "" for err (a metric label).
func StorageFaultKind(err error) string {
	msg := ""
	var e *Error
	if errors.As(err, &e) {
		msg = e.Message
	} else if f := StorageFault("", err); f != nil {
		msg = f.Message
	}
	switch {
	case strings.HasPrefix(msg, MsgDiskFull):
		return "disk_full"
	case strings.HasPrefix(msg, MsgReadOnly):
		return "read_only"
	}
	return ""
}
