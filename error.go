package ragkb

import (
	"errors"
	"fmt"
	"time"
)

// ErrorCode classifies errors; the server maps each code to an HTTP status in one place.
type ErrorCode string

// Error codes.
const (
	EINVALID      ErrorCode = "invalid"
	ETOOLARGE     ErrorCode = "too_large" // a request body over the size limit
	ENOTFOUND     ErrorCode = "not_found"
	ECONFLICT     ErrorCode = "conflict"
	EUNAUTHORIZED ErrorCode = "unauthorized"
	EFORBIDDEN    ErrorCode = "forbidden"
	ERATELIMITED  ErrorCode = "rate_limited"
	EUNAVAILABLE  ErrorCode = "unavailable"
	EINTERNAL     ErrorCode = "internal"
)

// Error is the one domain error type. Message is safe to show to a merchant;
// Field names the offending input field for EINVALID; RetryAfter is set for
// ERATELIMITED. Err is the wrapped cause and is never shown to users.
type Error struct {
	Code       ErrorCode
	Field      string
	Message    string
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	msg := string(e.Code) + ": " + e.Message
	if e.Field != "" {
		msg = string(e.Code) + ": " + e.Field + ": " + e.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns an ENOTFOUND error for a kind of object ("resource", "tenant").
func NotFound(kind string) *Error {
	return &Error{Code: ENOTFOUND, Message: kind + " not found"}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-visible message of err: the Message of its
// *Error, or a generic text for internal errors (whose details are only logged).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by err's *Error, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// IsNotFound reports whether err has code ENOTFOUND.
func IsNotFound(err error) bool { return ErrorCodeOf(err) == ENOTFOUND }
