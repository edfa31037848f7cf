package server_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/client"
	"github.com/ragkb/ragkb/server"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/vectorindex"
)

// These tests drive the handlers through httptest and the Go client, over
// the real SQLite store and an in-memory vector index, with small fakes of
// the answer and search services: each runs in milliseconds.

const adminKey = "server-test-admin-key-0123456789"

// fakeAnswers records what the handler passed and answers from a fixed text.
type fakeAnswers struct {
	mu       sync.Mutex
	tenantID string
	keyID    string
	question string
}

func (f *fakeAnswers) Answer(ctx context.Context, tenantID string, req *ragkb.AnswerRequest) (*ragkb.AnswerResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tenantID, f.keyID, f.question = tenantID, ragkb.APIKeyID(ctx), req.Question
	return &ragkb.AnswerResponse{Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast, Answer: "Yes, with every order."}, nil
}

type fakeSearch struct{}

func (fakeSearch) Search(ctx context.Context, q ragkb.SearchQuery) ([]ragkb.SearchHit, error) {
	return nil, nil
}

type events struct{}

func (events) Record(ctx context.Context, e *ragkb.Event) error { return nil }

// downEmbedder is an embedder whose service is stopped (ragkb.Pinger).
type downEmbedder struct{ ragkb.Embedder }

func (downEmbedder) Ping(context.Context) error {
	return ragkb.Errorf(ragkb.EUNAVAILABLE, "the embedding service does not answer")
}

type env struct {
	srv     *httptest.Server
	store   ragkb.Store
	answers *fakeAnswers
	admin   *client.Client
}

func newEnv(t *testing.T, mod func(*server.Deps)) *env {
	t.Helper()
	st, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "ragkb.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	vec, err := vectorindex.New(vectorindex.Config{Dimensions: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vec.Close() })
	if err := st.CreateAPIKey(context.Background(), &ragkb.APIKey{ID: ragkb.NewID("key"), Role: ragkb.RoleAdmin,
		Hash: server.HashKey(adminKey), Prefix: adminKey[:6], CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	e := &env{store: st, answers: &fakeAnswers{}}
	d := server.Deps{Store: st, Vectors: vec, Answers: e.answers, Searcher: fakeSearch{}, Events: events{}}
	if mod != nil {
		mod(&d)
	}
	e.srv = httptest.NewServer(server.New(d))
	t.Cleanup(e.srv.Close)
	e.admin = client.New(e.srv.URL, adminKey)
	return e
}

// merchant creates a tenant and returns a client with one of its keys.
func (e *env) merchant(t *testing.T, role ragkb.Role) (*client.Client, ragkb.Tenant, client.NewKey) {
	t.Helper()
	ctx := context.Background()
	ten, err := e.admin.CreateTenant(ctx, "Shop "+ragkb.NewID("t"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := e.admin.CreateKey(ctx, ten.ID, role)
	if err != nil {
		t.Fatal(err)
	}
	return client.New(e.srv.URL, k.Key), ten, k
}

func problem(t *testing.T, err error, status int, field string) {
	t.Helper()
	var pe *client.Error
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a %d problem document", err, status)
	}
	if pe.Status != status || pe.Field != field || pe.Detail == "" {
		t.Errorf("problem = %d field %q detail %q, want %d naming %q", pe.Status, pe.Field, pe.Detail, status, field)
	}
}

func TestAuthenticationAndRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	_, err := client.New(e.srv.URL, "").ListResources(ctx, "")
	problem(t, err, http.StatusUnauthorized, "Authorization")
	_, err = client.New(e.srv.URL, "rk_wrong_key_0123456789").ListResources(ctx, "")
	problem(t, err, http.StatusUnauthorized, "Authorization")
	bot, _, _ := e.merchant(t, ragkb.RoleChatbot)
	_, err = bot.CreateResource(ctx, client.ResourceInput{Name: "FAQ", Type: ragkb.TypeKnowledgeBase, KnowledgeBase: &ragkb.KnowledgeBase{Invoice: "Yes."}})
	problem(t, err, http.StatusForbidden, "")
	shop, _, _ := e.merchant(t, ragkb.RoleMerchant)
	_, err = shop.CreateTenant(ctx, "not mine to create")
	problem(t, err, http.StatusForbidden, "")
}

func TestAnswerPassesTenantAndKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	shop, ten, key := e.merchant(t, ragkb.RoleChatbot)
	ans, err := shop.Answer(context.Background(), ragkb.AnswerRequest{Question: "Do you issue invoices?"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Status != ragkb.AnswerAnswered || ans.Answer != "Yes, with every order." {
		t.Errorf("answer = %+v", ans)
	}
	e.answers.mu.Lock()
	defer e.answers.mu.Unlock()
	if e.answers.tenantID != ten.ID || e.answers.keyID != key.ID || e.answers.question != "Do you issue invoices?" {
		t.Errorf("the answer service got tenant %q key %q question %q, want %q %q and the question",
			e.answers.tenantID, e.answers.keyID, e.answers.question, ten.ID, key.ID)
	}
}

func TestBadInputNamesTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	shop, _, _ := e.merchant(t, ragkb.RoleMerchant)
	ctx := context.Background()
	_, err := shop.CreateResource(ctx, client.ResourceInput{Type: ragkb.TypeKnowledgeBase, KnowledgeBase: &ragkb.KnowledgeBase{Invoice: "Yes."}})
	problem(t, err, http.StatusBadRequest, "name")
	_, err = shop.CreateAssistant(ctx, client.AssistantInput{Name: "Bot", Triage: &ragkb.TriageConfig{}})
	problem(t, err, http.StatusBadRequest, "triage")
	_, err = shop.GetResource(ctx, "res_missing")
	problem(t, err, http.StatusNotFound, "")
}

func TestTenantsNeverSeeEachOther(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	a, _, _ := e.merchant(t, ragkb.RoleMerchant)
	b, _, _ := e.merchant(t, ragkb.RoleMerchant)
	r, err := a.CreateResource(ctx, client.ResourceInput{Name: "FAQ", Type: ragkb.TypeKnowledgeBase, KnowledgeBase: &ragkb.KnowledgeBase{Invoice: "Yes."}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.GetResource(ctx, r.ID)
	problem(t, err, http.StatusNotFound, "")
	problem(t, b.DeleteResource(ctx, r.ID), http.StatusNotFound, "")
	if list, err := b.ListResources(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("the other tenant lists %d resources (%v), want none", len(list), err)
	}
	if err := a.DeleteResource(ctx, r.ID); err != nil {
		t.Errorf("the owner cannot delete its resource: %v", err)
	}
}

func TestReadyzNamesEachBackend(t *testing.T) {
	t.Parallel()
	up := newEnv(t, nil)
	resp, err := http.Get(up.srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("all up: /readyz = %d, want 200", resp.StatusCode)
	}
	down := newEnv(t, func(d *server.Deps) { d.Embedder = downEmbedder{} })
	resp, err = http.Get(down.srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body.String(), `"embedding":"the embedding service does not answer"`) ||
		!strings.Contains(body.String(), `"vectors":"ok"`) {
		t.Errorf("embedder down: /readyz = %d %s, want 503 naming the embedding and vectors ok", resp.StatusCode, body.String())
	}
}
