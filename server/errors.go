package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance,omitempty"`
	// Field names the offending input field (extension member).
	Field string `json:"field,omitempty"`
	// RequestID helps support find the request in the logs (extension member).
	RequestID string `json:"request_id,omitempty"`
	// RefreshAvailableAt says when a rate-limited refresh is allowed again.
	RefreshAvailableAt *time.Time `json:"refresh_available_at,omitempty"`
}

// statusOf maps error codes to HTTP statuses: the one place where this happens.
func statusOf(code ragkb.ErrorCode) int {
	switch code {
	case ragkb.EINVALID:
		return http.StatusBadRequest
	case ragkb.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case ragkb.ENOTFOUND:
		return http.StatusNotFound
	case ragkb.ECONFLICT:
		return http.StatusConflict
	case ragkb.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case ragkb.EFORBIDDEN:
		return http.StatusForbidden
	case ragkb.ERATELIMITED:
		return http.StatusTooManyRequests
	case ragkb.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

var titles = map[ragkb.ErrorCode]string{
	ragkb.EINVALID:      "Invalid request",
	ragkb.ETOOLARGE:     "Request too large",
	ragkb.ENOTFOUND:     "Not found",
	ragkb.ECONFLICT:     "Conflict",
	ragkb.EUNAUTHORIZED: "Unauthorized",
	ragkb.EFORBIDDEN:    "Forbidden",
	ragkb.ERATELIMITED:  "Too many requests",
	ragkb.EUNAVAILABLE:  "Service unavailable",
	ragkb.EINTERNAL:     "Internal error",
}

// statusClientClosed is recorded (nginx's 499) when the client went away
// before the answer was ready: not a server error, not logged as one.
const statusClientClosed = 499

// writeError answers err as a problem document. Internal errors are logged
// with the request id and shown only as "internal error". An error caused by
// the client hanging up is recorded as 499 and logged at debug level only.
func writeError(c *gin.Context, log *slog.Logger, err error) {
	if errors.Is(c.Request.Context().Err(), context.Canceled) && ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
		log.DebugContext(c.Request.Context(), "client went away", "request_id", c.GetString(ctxRequestID), "path", c.Request.URL.Path, "err", err)
		c.AbortWithStatus(statusClientClosed)
		return
	}
	code := ragkb.ErrorCodeOf(err)
	status := statusOf(code)
	p := Problem{
		Type:      "https://github.com/ragkb/ragkb/blob/main/docs/problems.md#" + string(code),
		Title:     titles[code],
		Status:    status,
		Detail:    ragkb.ErrorMessage(err),
		Instance:  c.Request.URL.Path,
		Field:     ragkb.ErrorField(err),
		RequestID: c.GetString(ctxRequestID),
	}
	if p.Field != "" && p.Detail != "" {
		p.Detail = p.Field + ": " + p.Detail
	}
	var e *ragkb.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		secs := int(e.RetryAfter.Seconds() + 0.999)
		c.Header("Retry-After", strconv.Itoa(secs))
	}
	switch code {
	case ragkb.EINTERNAL:
		log.ErrorContext(c.Request.Context(), "request failed", "request_id", p.RequestID, "path", c.Request.URL.Path, "err", err)
	case ragkb.EUNAVAILABLE:
		// A full disk or a database outage: the operator must see it.
		log.WarnContext(c.Request.Context(), "request failed: a dependency is unavailable", "request_id", p.RequestID, "path", c.Request.URL.Path, "detail", p.Detail, "err", err)
	}
	if v, ok := c.Get(ctxRefreshAvailable); ok {
		if t, ok := v.(time.Time); ok {
			p.RefreshAvailableAt = &t
		}
	}
	writeProblem(c, p)
}

func writeProblem(c *gin.Context, p Problem) {
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(p.Status, p)
	// AbortWithStatusJSON sets application/json; restore the problem type.
	c.Writer.Header().Set("Content-Type", "application/problem+json")
}
