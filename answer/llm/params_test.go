package llm

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// The 400 bodies OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…) return
// for the chat parameter set, as reported verbatim by API users (e.g.
// griptape-ai/ComfyUI-Griptape#312 for gpt-5, gabrii/Cursor-Azure-GPT-5#33).
const (
	maxTokensRejected = `{
  "error": {
    "message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    "type": "invalid_request_error",
    "param": "max_tokens",
    "code": "unsupported_parameter"
  }
}`
	temperatureRejected = `{
  "error": {
    "message": "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
    "type": "invalid_request_error",
    "param": "temperature",
    "code": "unsupported_value"
  }
}`
	// A proxy (caozhiyuan/copilot-api#164) passes the message on with a code
	// of its own and no param.
	maxTokensRejectedByProxy = `{"error": {"message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "code": "invalid_request_body"}}`
	// The same error object, for a server that does not know the newer
	// parameter.
	maxCompletionTokensRejected = `{"error": {"message": "Unsupported parameter: 'max_completion_tokens' is not supported with this model.", "type": "invalid_request_error", "param": "max_completion_tokens", "code": "unsupported_parameter"}}`
)

// reasoningModel replies like an OpenAI reasoning model: 400 for max_tokens,
// then for a temperature other than 1; otherwise a chat.completion whose
// usage counts reasoning tokens.
func reasoningModel(t *testing.T, content string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		body := bodyOf(r)
		if _, ok := body["max_tokens"]; ok {
			raw(http.StatusBadRequest, maxTokensRejected)(w, r)
			return
		}
		if v, ok := body["temperature"]; ok && v != float64(1) {
			raw(http.StatusBadRequest, temperatureRejected)(w, r)
			return
		}
		if _, ok := body["max_completion_tokens"].(float64); !ok {
			t.Errorf("reasoning model: max_completion_tokens = %v, want a number", body["max_completion_tokens"])
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{
  "id": "chatcmpl-CK2pXwL4RzQ8",
  "object": "chat.completion",
  "created": 1759400000,
  "model": "o3-mini-2025-01-31",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": %q, "refusal": null, "annotations": []}, "finish_reason": "stop"}],
  "usage": {
    "prompt_tokens": 210,
    "completion_tokens": 350,
    "total_tokens": 560,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 320, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": null
}`, content)
	}
}

func TestReasoningModelTable(t *testing.T) {
	for model, want := range map[string]bool{
		"o1": true, "o1-mini": true, "o1-preview": true, "o3": true, "o3-mini": true, "o3-pro": true, "o4-mini": true,
		"gpt-5": true, "gpt-5-mini": true, "gpt-5-nano": true, "gpt-5.1": true, "gpt-5.2-pro": true, "openai/o3-mini": true, "O3-Mini": true,
		"gpt-4o": false, "gpt-4o-mini": false, "gpt-4.1": false, "gpt-4.1-nano": false, "llama3.1:8b": false, "mistral-small": false,
		"qwen2.5": false, "o10x": false, "gpt-50": false, "prod-assistant": false, "": false,
	} {
		if got := ReasoningModel(model); got != want {
			t.Errorf("ReasoningModel(%q) = %v, want %v", model, got, want)
		}
	}
}

func TestParamsByModel(t *testing.T) {
	f := newFake(t, reasoningModel(t, "Delivery takes 2-3 working days [1]."))
	c := newClient(t, f.srv.URL, &sleeper{}, func(c *Config) { c.Model = "o3-mini"; c.ReasoningEffort = "low" })
	got, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if f.Calls() != 1 {
		t.Errorf("calls = %d, want 1 (the reasoning set is chosen from the model name)", f.Calls())
	}
	body := f.bodies[0]
	if _, ok := body["temperature"]; ok {
		t.Errorf("body has temperature: %v", body)
	}
	if _, ok := body["max_tokens"]; ok {
		t.Errorf("body has max_tokens: %v", body)
	}
	if body["max_completion_tokens"] != float64(DefaultMaxCompletionTokens) || body["reasoning_effort"] != "low" {
		t.Errorf("body = %v, want max_completion_tokens %d and reasoning_effort low", body, DefaultMaxCompletionTokens)
	}
	if got.PromptTokens != 210 || got.CompletionTokens != 350 || got.ReasoningTokens != 320 {
		t.Errorf("usage = %d/%d/%d, want 210/350/320", got.PromptTokens, got.CompletionTokens, got.ReasoningTokens)
	}
}

// An unknown name (an Azure deployment) gets the chat set; the reasoning
// model refuses it; the client switches once and keeps the reasoning set.
func TestParamsLearnedFrom400(t *testing.T) {
	for name, reply := range map[string]func(http.ResponseWriter, *http.Request){
		"openai": nil, "proxy": raw(http.StatusBadRequest, maxTokensRejectedByProxy),
	} {
		t.Run(name, func(t *testing.T) {
			replies := []func(http.ResponseWriter, *http.Request){}
			if reply != nil {
				replies = append(replies, reply)
			}
			replies = append(replies, reasoningModel(t, "Yes, we ship to Austria [1]."))
			f := newFake(t, replies...)
			s := &sleeper{}
			c := newClient(t, f.srv.URL, s, func(c *Config) { c.Model = "prod-assistant" })
			if c.Params() != ParamsChat {
				t.Fatalf("Params() = %s before any call, want chat", c.Params())
			}
			if _, err := c.Complete(context.Background(), question); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if f.Calls() != 2 || len(s.waits) != 0 {
				t.Errorf("calls = %d, waits = %v; want 2 calls and no wait", f.Calls(), s.waits)
			}
			if _, ok := f.bodies[0]["max_tokens"]; !ok {
				t.Errorf("first body = %v, want the chat set", f.bodies[0])
			}
			if c.Params() != ParamsReasoning {
				t.Errorf("Params() = %s after the switch, want reasoning", c.Params())
			}
			if _, err := c.Complete(context.Background(), question); err != nil {
				t.Fatalf("second Complete: %v", err)
			}
			if f.Calls() != 3 {
				t.Errorf("calls = %d after a second question, want 3 (the switch is remembered)", f.Calls())
			}
		})
	}
}

func TestParamsTemperatureRefused(t *testing.T) {
	// a model that takes max_tokens but only temperature 1
	f := newFake(t, raw(http.StatusBadRequest, temperatureRejected), completion("ok [1]", 5, 5))
	c := newClient(t, f.srv.URL, &sleeper{}, func(c *Config) { c.Model = "my-deployment" })
	if _, err := c.Complete(context.Background(), question); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if _, ok := f.bodies[1]["temperature"]; ok || c.Params() != ParamsReasoning {
		t.Errorf("second body = %v, params %s; want no temperature, reasoning", f.bodies[1], c.Params())
	}
}

func TestParamsBackToChat(t *testing.T) {
	// a server that does not know max_completion_tokens, given a model
	// named like a reasoning model
	f := newFake(t, raw(http.StatusBadRequest, maxCompletionTokensRejected), completion("ok [1]", 5, 5))
	c := newClient(t, f.srv.URL, &sleeper{}, func(c *Config) { c.Model = "o3-mini-local" })
	if _, err := c.Complete(context.Background(), question); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if _, ok := f.bodies[0]["max_completion_tokens"]; !ok {
		t.Errorf("first body = %v, want the reasoning set", f.bodies[0])
	}
	if f.bodies[1]["max_tokens"] != float64(DefaultMaxTokens) || c.Params() != ParamsChat {
		t.Errorf("second body = %v, params %s; want max_tokens, chat", f.bodies[1], c.Params())
	}
}

func TestParamsExplicitIsKept(t *testing.T) {
	f := newFake(t, reasoningModel(t, "unused"))
	c := newClient(t, f.srv.URL, &sleeper{}, func(c *Config) { c.Model = "o3-mini"; c.Params = ParamsChat })
	_, err := c.Complete(context.Background(), question)
	if ragkb.ErrorCodeOf(err) != ragkb.EUNAVAILABLE || !strings.Contains(ragkb.ErrorMessage(err), "RAGKB_LLM_PARAMS=reasoning") {
		t.Fatalf("error = %v, want EUNAVAILABLE naming RAGKB_LLM_PARAMS=reasoning", err)
	}
	if !strings.Contains(err.Error(), "max_completion_tokens") {
		t.Errorf("error = %v, want the provider's message", err)
	}
	if f.Calls() != 1 {
		t.Errorf("calls = %d, want 1 (a 400 is not retried)", f.Calls())
	}
}

func TestParamsSwitchOnlyOnce(t *testing.T) {
	// refuses the chat set, then the reasoning set: the client gives up
	f := newFake(t, raw(http.StatusBadRequest, maxTokensRejected), raw(http.StatusBadRequest, maxCompletionTokensRejected), completion("never", 1, 1))
	c := newClient(t, f.srv.URL, &sleeper{}, func(c *Config) { c.Model = "something" })
	if _, err := c.Complete(context.Background(), question); ragkb.ErrorCodeOf(err) != ragkb.EUNAVAILABLE {
		t.Fatalf("error = %v, want EUNAVAILABLE", err)
	}
	if f.Calls() != 2 {
		t.Errorf("calls = %d, want 2", f.Calls())
	}
}

func TestParamsRetriesKeepTheSet(t *testing.T) {
	f := newFake(t, apiErr(429, map[string]string{"Retry-After": "1"}, "Rate limit reached for o4-mini", "requests"),
		raw(http.StatusServiceUnavailable, `{"error": {"message": "The server is overloaded", "type": "server_error", "param": null, "code": null}}`),
		reasoningModel(t, "ok [1]"))
	s := &sleeper{}
	c := newClient(t, f.srv.URL, s, func(c *Config) { c.Model = "o4-mini" })
	if _, err := c.Complete(context.Background(), question); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if f.Calls() != 3 || len(s.waits) != 2 || s.waits[0] != time.Second {
		t.Errorf("calls = %d, waits = %v; want 3 calls, waits [1s, backoff]", f.Calls(), s.waits)
	}
	for i, b := range f.bodies {
		if _, ok := b["max_tokens"]; ok {
			t.Errorf("body %d has max_tokens", i)
		}
	}
}

func TestDeadlineBoundsTheCall(t *testing.T) {
	// Retry-After of 5s with 300ms left: not waited for
	f := newFake(t, apiErr(429, map[string]string{"Retry-After": "5"}, "Rate limit reached", "requests"), completion("late", 1, 1))
	s := &sleeper{}
	c := newClient(t, f.srv.URL, s, func(c *Config) { c.Deadline = 300 * time.Millisecond })
	_, err := c.Complete(context.Background(), question)
	if ragkb.ErrorCodeOf(err) != ragkb.ERATELIMITED {
		t.Fatalf("error = %v, want ERATELIMITED", err)
	}
	if len(s.waits) != 0 || f.Calls() != 1 {
		t.Errorf("waits = %v, calls = %d; want no wait past the deadline", s.waits, f.Calls())
	}
	// a hanging server: the deadline ends the call even with a long per-attempt timeout
	hang := newFake(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c = newClient(t, hang.srv.URL, &sleeper{}, func(c *Config) { c.Deadline = 200 * time.Millisecond; c.Timeout = time.Minute })
	start := time.Now()
	if _, err := c.Complete(context.Background(), question); ragkb.ErrorCodeOf(err) != ragkb.EUNAVAILABLE {
		t.Fatalf("error = %v, want EUNAVAILABLE", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("call took %v, want it ended by the deadline", d)
	}
}

func TestParseParams(t *testing.T) {
	for in, want := range map[string]Params{"": ParamsAuto, "auto": ParamsAuto, "Chat": ParamsChat, " reasoning ": ParamsReasoning} {
		if got, ok := ParseParams(in); !ok || got != want {
			t.Errorf("ParseParams(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseParams("o1"); ok {
		t.Error(`ParseParams("o1") accepted`)
	}
	if err := (Config{URL: "http://x", Model: "m", Params: "fast"}).Validate(); ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
		t.Errorf("Validate with Params fast = %v, want EINVALID", err)
	}
}
