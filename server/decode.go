package server

import (
	"bufio"
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

// maxBody bounds JSON request bodies. A knowledge base too large for it is
// sent as NDJSON (decodeResource), bounded by maxNDJSONBody and maxLine.
const (
	maxBody       = 8 << 20
	maxNDJSONBody = 256 << 20
	maxLine       = 1 << 20
)

// ndjsonType is the media type of a streamed knowledge base.
const ndjsonType = "application/x-ndjson"

func tooLarge(limit int64) error {
	return &ragkb.Error{Code: ragkb.ETOOLARGE, Field: "body", Message: fmt.Sprintf(
		"is larger than %d MiB; send a large knowledge base as NDJSON (Content-Type: %s, first line the resource, then one custom question per line)", limit>>20, ndjsonType)}
}

// isNDJSON reports whether the request body is NDJSON.
func isNDJSON(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return err == nil && (mt == ndjsonType || mt == "application/ndjson" || mt == "application/jsonl")
}

// decodeResource reads a resource body: JSON, or NDJSON whose first line is
// the resource and every further line one custom question of its knowledge
// base. NDJSON is read line by line (never the whole body at once), so the
// size of a knowledge base is bounded by maxNDJSONBody, not by maxBody.
func decodeResource(c *gin.Context, req *resourceRequest) error {
	if !isNDJSON(c) {
		return decode(c, req)
	}
	br := bufio.NewReaderSize(http.MaxBytesReader(c.Writer, c.Request.Body, maxNDJSONBody), 64<<10)
	line := 0
	for {
		raw, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &mbe):
				return tooLarge(maxNDJSONBody)
			case errors.Is(err, errLineTooLong):
				return &ragkb.Error{Code: ragkb.ETOOLARGE, Field: fmt.Sprintf("line %d", line+1), Message: fmt.Sprintf("is longer than %d MiB", maxLine>>20)}
			}
			return ragkb.Invalid("body", "could not be read")
		}
		if len(bytes.TrimSpace(raw)) > 0 {
			line++
			if line == 1 {
				if err := strictJSON(raw, req); err != nil {
					return lineError(1, err)
				}
				if req.Type != "" && req.Type != ragkb.TypeKnowledgeBase {
					return ragkb.Invalid("type", "NDJSON bodies are for knowledge_base resources only")
				}
				req.Type = ragkb.TypeKnowledgeBase
				if req.KnowledgeBase == nil {
					req.KnowledgeBase = &ragkb.KnowledgeBase{}
				}
			} else {
				var q ragkb.CustomQuestion
				if err := strictJSON(raw, &q); err != nil {
					return lineError(line, err)
				}
				if err := checkCustom(raw, ""); err != nil {
					return lineError(line, err)
				}
				req.KnowledgeBase.Custom = append(req.KnowledgeBase.Custom, q)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if line == 0 {
		return ragkb.Invalid("body", "is empty; the first NDJSON line is the resource")
	}
	return nil
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line (without its newline), at most maxLine bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		part, err := br.ReadSlice('\n')
		out = append(out, part...)
		if len(out) > maxLine {
			return nil, errLineTooLong
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(out, "\r\n"), err
	}
}

func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return ragkb.Invalid("body", "has more than one JSON value on the line")
	}
	return nil
}

// lineError names the NDJSON line in a decoding error.
func lineError(line int, err error) error {
	var e *ragkb.Error
	if errors.As(err, &e) {
		field := e.Field
		if line > 1 {
			field = fmt.Sprintf("knowledge_base.custom[%d]", line-2)
			if e.Field != "" && e.Field != "body" {
				field += "." + e.Field
			}
		}
		return &ragkb.Error{Code: e.Code, Field: field, Message: fmt.Sprintf("line %d: %s", line, e.Message)}
	}
	return err
}

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
			return tooLarge(maxBody)
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
	var own *ragkb.Error
	if errors.As(err, &own) {
		return own // from an UnmarshalJSON of ours (unknown questionnaire keys)
	}
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
