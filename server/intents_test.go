package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/server"
)

// TestIntentNamedLikeANewBuiltin: an account that created an intent before
// a built-in of the same name existed sees it once in GET /v1/intents (its
// own definition, which applies) and can still update it; another account
// cannot take the built-in's name and sees the built-in.
func TestIntentNamedLikeANewBuiltin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *server.Deps) { d.BuiltinIntents = []string{"invoice", "assembly"} })
	_, ten, key := e.merchant(t, ragkb.RoleMerchant)
	_, _, otherKey := e.merchant(t, ragkb.RoleMerchant)
	// Created before "assembly" became a built-in (straight in the store:
	// the API refuses it now).
	if err := e.store.CreateIntent(context.Background(), &ragkb.IntentDef{ID: ragkb.NewID("int"), TenantID: ten.ID, Name: "assembly",
		Examples: []string{"do you assemble the sofa?"}, Tier: "agent", CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	do := func(method, key string, body any) (int, []byte) {
		t.Helper()
		var rd bytes.Buffer
		if body != nil {
			json.NewEncoder(&rd).Encode(body)
		}
		req, _ := http.NewRequest(method, e.srv.URL+"/v1/intents", &rd)
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.Bytes()
	}
	list := func(key string) map[string][]ragkb.IntentDef {
		t.Helper()
		code, b := do("GET", key, nil)
		var out struct{ Intents []ragkb.IntentDef }
		if code != 200 || json.Unmarshal(b, &out) != nil {
			t.Fatalf("GET /v1/intents: %d %s", code, b)
		}
		m := map[string][]ragkb.IntentDef{}
		for _, d := range out.Intents {
			m[d.Name] = append(m[d.Name], d)
		}
		return m
	}
	if got := list(key.Key)["assembly"]; len(got) != 1 || got[0].Builtin || got[0].Tier != "agent" {
		t.Errorf("own assembly listed as %+v, want once, the account's own (tier agent)", got)
	}
	if code, b := do("POST", key.Key, map[string]any{"name": "assembly", "examples": []string{"is the sofa delivered assembled?"}, "tier": "fast"}); code != http.StatusCreated {
		t.Errorf("updating the account's own assembly: %d %s", code, b)
	}
	if got := list(key.Key)["assembly"]; len(got) != 1 || got[0].Tier != "fast" || len(got[0].Examples) != 1 || got[0].Examples[0] != "is the sofa delivered assembled?" {
		t.Errorf("after the update: %+v", got)
	}
	if got := list(otherKey.Key)["assembly"]; len(got) != 1 || !got[0].Builtin {
		t.Errorf("other account's assembly: %+v, want the built-in once", got)
	}
	if code, b := do("POST", otherKey.Key, map[string]any{"name": "assembly", "examples": []string{"x"}}); code != http.StatusBadRequest || !bytes.Contains(b, []byte("name")) {
		t.Errorf("other account taking the built-in name: %d %s, want 400 naming name", code, b)
	}
}
