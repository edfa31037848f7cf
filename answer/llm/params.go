package llm

import (
	"encoding/json"
	"strings"
)

// Params is the parameter set a request is sent with. Chat models (gpt-4o,
// gpt-4.1, Llama, Mistral, Qwen behind Ollama or vLLM…) take "max_tokens" and
// "temperature"; OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…) reject
// both with a 400 and want "max_completion_tokens" (which also bounds the
// hidden reasoning tokens) and no temperature.
type Params string

// The parameter sets.
const (
	// ParamsAuto picks the set from the model name (see ReasoningModel) and
	// switches once, for good, when the provider answers 400 naming a
	// parameter of the set as unsupported.
	ParamsAuto Params = "auto"
	// ParamsChat sends max_tokens and temperature.
	ParamsChat Params = "chat"
	// ParamsReasoning sends max_completion_tokens, no temperature, and
	// reasoning_effort when configured.
	ParamsReasoning Params = "reasoning"
)

// ParseParams reads a RAGKB_LLM_PARAMS value; empty is ParamsAuto.
func ParseParams(s string) (Params, bool) {
	switch p := Params(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return ParamsAuto, true
	case ParamsAuto, ParamsChat, ParamsReasoning:
		return p, true
	}
	return "", false
}

// reasoningFamilies are the model name prefixes sent the reasoning set in
// auto mode. The table, as documented in README.md:
//
//	o1, o1-mini, o1-preview, o1-pro      reasoning
//	o3, o3-mini, o3-pro, o3-deep-research reasoning
//	o4-mini, o4-…                         reasoning
//	gpt-5, gpt-5-mini, gpt-5-nano, gpt-5.1, gpt-5.x-… reasoning
//	anything else (gpt-4o, gpt-4.1, llama3, mistral, qwen…) chat
//
// A provider prefix ("openai/o3-mini" on OpenRouter and LiteLLM) is
// ignored. Azure deployments carry names of their own: auto mode learns
// their set from the first 400, or set RAGKB_LLM_PARAMS.
var reasoningFamilies = []string{"o1", "o3", "o4", "gpt-5"}

// ReasoningModel reports whether model is sent the reasoning set in auto mode.
func ReasoningModel(model string) bool {
	m := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	for _, f := range reasoningFamilies {
		rest, ok := strings.CutPrefix(m, f)
		if !ok {
			continue
		}
		// "o1", "o1-mini", "gpt-5", "gpt-5.1", "gpt-5-mini"; not "o10x" or "gpt-50"
		if rest == "" || rest[0] == '-' || rest[0] == '.' || rest[0] == ':' || rest[0] == '_' {
			return true
		}
	}
	return false
}

// providerError is the OpenAI error object:
// {"error": {"message": "...", "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"}}.
type providerError struct {
	Message string `json:"message"`
	Type    string `json:"type"`
	Param   any    `json:"param"`
	Code    any    `json:"code"`
}

// parseProviderError reads an error body; ok is false when it is not the
// OpenAI shape.
func parseProviderError(data []byte) (providerError, bool) {
	var ae struct {
		Error *providerError `json:"error"`
	}
	if json.Unmarshal(data, &ae) != nil || ae.Error == nil {
		return providerError{}, false
	}
	return *ae.Error, true
}

// otherSetWanted reports whether a 400 body says that a parameter of the
// set just sent is not supported by the model, so the other set should be
// tried: a reasoning model refusing max_tokens or temperature (codes
// unsupported_parameter, unsupported_value), or an older server or API
// version refusing max_completion_tokens or reasoning_effort ("Unrecognized
// request argument supplied: max_completion_tokens").
func otherSetWanted(sent Params, data []byte) bool {
	pe, ok := parseProviderError(data)
	if !ok {
		return false
	}
	param, _ := pe.Param.(string)
	code, _ := pe.Code.(string)
	msg := strings.ToLower(pe.Message)
	unsupported := code == "unsupported_parameter" || code == "unsupported_value" ||
		strings.Contains(msg, "unsupported parameter") || strings.Contains(msg, "unsupported value") ||
		strings.Contains(msg, "unrecognized request argument") || strings.Contains(msg, "not supported")
	if !unsupported {
		return false
	}
	names := []string{"max_completion_tokens", "reasoning_effort"}
	if sent == ParamsChat {
		names = []string{"max_tokens", "temperature"}
	}
	for _, n := range names {
		if param == n || strings.Contains(msg, "'"+n+"'") || strings.Contains(msg, ": "+n) || strings.Contains(msg, "`"+n+"`") {
			return true
		}
	}
	return false
}
