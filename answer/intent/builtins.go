package intent

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
)

// builtinFiles holds one JSON file per built-in intent:
// {"name", "description", "examples": {"<language>": ["..."]}}.
//
//go:embed builtins/*.json
var builtinFiles embed.FS

// Builtin is a built-in e-commerce intent.
type Builtin struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Examples maps an ISO 639-1 language code (en, it, fr, de, pl, es) to
	// example phrasings.
	Examples map[string][]string `json:"examples"`
}

// Languages are the languages every built-in intent has examples in.
var languages = []string{"en", "it", "fr", "de", "pl", "es"}

// Languages returns the languages the built-in intents have examples in.
func Languages() []string { return slices.Clone(languages) }

// questionnaireIntents are the built-in intents answered by the questionnaire
// field of the same name (ragkb.KnowledgeBase JSON names).
var questionnaireIntents = []string{
	"delivery_time", "store_pickup", "delivery_methods", "discounts", "store_location",
	"new_products_only", "original_products_only", "warranty", "invoice",
}

// unlinkable are the built-in intents that no approved text stands for:
// they route (a person, a complaint, an order lookup) or are too broad
// (product questions and advice) for one custom answer to cover.
var unlinkable = []string{"complaint", "greeting", "human_agent", "order_status", "product_advice", "product_question", OutOfScopeIntent}

// Linkable reports whether a merchant's custom question classified as the
// built-in intent name may answer that intent's questions: the built-in's
// examples in six languages then reach the custom answer ("Do you sell gift
// cards?" written in English answers "Vendete buoni regalo?").
func Linkable(name string) bool {
	return name != "" && !slices.Contains(unlinkable, name) && !slices.Contains(questionnaireIntents, name)
}

// QuestionnaireIntents returns the built-in intents that map 1:1 to a
// questionnaire field (ragkb.KnowledgeBase) of the same JSON name.
func QuestionnaireIntents() []string { return slices.Clone(questionnaireIntents) }

// BuiltinIntents returns the built-in intents sorted by name, without the
// OutOfScopeIntent examples (see Builtins). The data is embedded in the
// binary and parsed on every call, so callers should keep the result (or the
// classifier trained from it).
func BuiltinIntents() []Builtin {
	return slices.DeleteFunc(allBuiltins(), func(b Builtin) bool { return b.Name == OutOfScopeIntent })
}

func allBuiltins() []Builtin {
	out, err := parseBuiltins(builtinFiles)
	if err != nil {
		// The embedded files are checked by TestBuiltinsWellFormed.
		panic(err)
	}
	return out
}

func parseBuiltins(fsys fs.FS) ([]Builtin, error) {
	paths, err := fs.Glob(fsys, "builtins/*.json")
	if err != nil {
		return nil, fmt.Errorf("intent: list builtins: %w", err)
	}
	out := make([]Builtin, 0, len(paths))
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("intent: read builtin %s: %w", p, err)
		}
		var bi Builtin
		if err := json.Unmarshal(b, &bi); err != nil {
			return nil, fmt.Errorf("intent: parse builtin %s: %w", p, err)
		}
		if bi.Name == "" || bi.Description == "" || len(bi.Examples) == 0 {
			return nil, fmt.Errorf("intent: parse builtin %s: name, description and examples are required", p)
		}
		out = append(out, bi)
	}
	slices.SortFunc(out, func(a, b Builtin) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out, nil
}

// Builtins returns the examples of every built-in intent in every language,
// plus examples of OutOfScopeIntent, ready for Train.
func Builtins() []Example {
	var out []Example
	for _, b := range allBuiltins() {
		for _, lang := range languages {
			for _, t := range b.Examples[lang] {
				out = append(out, Example{Intent: b.Name, Text: t, Lang: lang})
			}
		}
	}
	return out
}

// BuiltinNames returns the names of the built-in intents, sorted.
func BuiltinNames() []string {
	bs := BuiltinIntents()
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Name
	}
	return out
}

// BuiltinDescription returns what a built-in intent covers, or "" for a name
// that is not built in.
func BuiltinDescription(name string) string {
	for _, b := range BuiltinIntents() {
		if b.Name == name {
			return b.Description
		}
	}
	return ""
}
