package server

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/ragkb/ragkb"
)

// The questionnaire is the one body where a misspelt key silently loses a
// merchant's answer ("delivery" for "delivery_time"), so its keys, and the
// keys of each custom question, are checked against the types' JSON names.
// Other bodies keep ignoring unknown keys (clients may send back objects
// they received, with read-only fields).

// UnmarshalJSON decodes a resource body and refuses unknown keys inside
// knowledge_base.
func (r *resourceRequest) UnmarshalJSON(b []byte) error {
	type plain resourceRequest
	if err := json.Unmarshal(b, (*plain)(r)); err != nil {
		return err
	}
	var raw struct {
		KnowledgeBase json.RawMessage `json:"knowledge_base"`
	}
	if err := json.Unmarshal(b, &raw); err != nil || !isObject(raw.KnowledgeBase) {
		return nil
	}
	if err := checkFields(raw.KnowledgeBase, "knowledge_base.", "questionnaire field", ragkb.KnowledgeBase{}); err != nil {
		return err
	}
	var kb struct {
		Custom []json.RawMessage `json:"custom"`
	}
	if err := json.Unmarshal(raw.KnowledgeBase, &kb); err != nil {
		return nil
	}
	for i, q := range kb.Custom {
		if err := checkCustom(q, fmt.Sprintf("knowledge_base.custom[%d].", i)); err != nil {
			return err
		}
	}
	return nil
}

// checkCustom refuses unknown keys in one custom question; prefix is put
// before the key in the error's field.
func checkCustom(raw json.RawMessage, prefix string) error {
	if !isObject(raw) {
		return nil
	}
	return checkFields(raw, prefix, "custom question field", ragkb.CustomQuestion{})
}

// checkFields returns an EINVALID naming the first (in sorted order) key of
// the JSON object raw that the struct v does not have, listing the known ones.
func checkFields(raw json.RawMessage, prefix, what string, v any) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil // the typed decode reports malformed input
	}
	known := jsonNames(reflect.TypeOf(v))
	var unknown []string
	for k := range m {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	msg := "is not a " + what
	if len(unknown) > 1 {
		msg += " (nor are " + strings.Join(unknown[1:], ", ") + ")"
	}
	return ragkb.Invalid(prefix+unknown[0], "%s; known fields: %s", msg, strings.Join(known, ", "))
}

// jsonNames lists the JSON keys of a struct type in declaration order.
func jsonNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		names = append(names, cmp.Or(name, f.Name))
	}
	return names
}

func isObject(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return strings.HasPrefix(s, "{")
}
