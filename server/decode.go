package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// maxBody bounds request bodies (a large questionnaire fits easily).
const maxBody = 8 << 20

// decode reads a JSON body into v. Every failure is an EINVALID naming the
// field where the decoder can tell it.
func decode(c *gin.Context, v any) error {
	// The body is parsed as JSON whatever the Content-Type says (curl -d
	// sends form-urlencoded by default); only a type that clearly is not
	// JSON-compatible text is refused.
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err == nil && (strings.HasPrefix(mt, "multipart/") || strings.HasPrefix(mt, "image/") || mt == "application/octet-stream") {
			return ragkb.Invalid("Content-Type", "must be application/json")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return ragkb.Invalid("body", "is larger than %d MiB", maxBody>>20)
		}
		return ragkb.Invalid("body", "could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return ragkb.Invalid("body", "is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return ragkb.Invalid("body", "has data after the JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return ragkb.Invalid("body", "is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return ragkb.Invalid(field, "must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return ragkb.Invalid("body", "is truncated JSON")
	default:
		return ragkb.Invalid("body", "is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "int", "int64", "float64", "uint", "int32":
		return "a number"
	}
	return fmt.Sprintf("a %s", k)
}
