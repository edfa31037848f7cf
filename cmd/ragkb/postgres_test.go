package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ragkb/ragkb"
)

// pgURL returns a URL of the test database (RAGKB_TEST_DATABASE_URL, set by
// `make test`) whose search_path puts a fresh schema first, so each test has
// its own tables. Without a database the test is skipped locally and fails
// in CI.
func pgURL(t *testing.T) (string, string) {
	t.Helper()
	base := os.Getenv("RAGKB_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("RAGKB_TEST_DATABASE_URL is not set; in CI the PostgreSQL tests must run (make test sets it)")
		}
		t.Skip("RAGKB_TEST_DATABASE_URL not set (run make test)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("connect to the test database: %v", err)
		}
		t.Skipf("test database unreachable: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "e2e_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String(), schema
}

func pgQueryInt(t *testing.T, dbURL, sql string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestPostgresEndToEnd runs the embedded flow unchanged with
// RAGKB_DATABASE_URL set, and checks that the vectors are in a pgvector column.
func TestPostgresEndToEnd(t *testing.T) {
	dbURL, _ := pgURL(t)
	endToEnd(t, map[string]string{"RAGKB_DATABASE_URL": dbURL}, func(t *testing.T, tenantID, resourceID string) {
		n := pgQueryInt(t, dbURL, `SELECT count(*) FROM vectors WHERE tenant_id = $1 AND resource_id = $2`, tenantID, resourceID)
		chunks := pgQueryInt(t, dbURL, `SELECT count(*) FROM chunks WHERE tenant_id = $1 AND resource_id = $2`, tenantID, resourceID)
		if n == 0 || n != chunks {
			t.Fatalf("pgvector rows: got %d, want one per chunk (%d)", n, chunks)
		}
		typ := pgQueryInt(t, dbURL, `SELECT count(*) FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
			WHERE a.attrelid = 'vectors'::regclass AND a.attname = 'embedding' AND ty.typname = 'vector'`)
		if typ != 1 {
			t.Fatal("vectors.embedding is not a pgvector column")
		}
	})
}

// startWorkerProcess runs a real `ragkb worker` against PostgreSQL.
func startWorkerProcess(t *testing.T, dbURL string, env ...string) *proc {
	t.Helper()
	cmd := exec.Command(ragkbBinary(t), "worker")
	cmd.Env = append(os.Environ(), "RAGKB_DATABASE_URL="+dbURL, "RAGKB_ALLOW_PRIVATE_URLS=true",
		"RAGKB_REFRESH_SCHEDULE=off", "RAGKB_LOG_LEVEL=debug", "RAGKB_WORKERS=1")
	cmd.Env = append(cmd.Env, env...)
	p := &proc{t: t, cmd: cmd, logs: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("worker logs:\n%s", p.logs.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.logs.String(), "worker started") {
		if time.Now().After(deadline) {
			t.Fatalf("worker did not start:\n%s", p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p
}

// pages serves one policy page per path, slowly, and records whether two
// fetches of the same page ever overlapped (two workers on one job).
type pages struct {
	mu       sync.Mutex
	inflight map[string]int
	overlap  []string
	hold     map[string]chan struct{} // path -> released when closed
	hit      map[string]chan struct{}
	delay    time.Duration
}

func (p *pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	p.mu.Lock()
	p.inflight[r.URL.Path]++
	if p.inflight[r.URL.Path] > 1 {
		p.overlap = append(p.overlap, r.URL.Path)
	}
	hold, hit := p.hold[r.URL.Path], p.hit[r.URL.Path]
	p.hold[r.URL.Path], p.hit[r.URL.Path] = nil, nil
	p.mu.Unlock()
	defer func() { p.mu.Lock(); p.inflight[r.URL.Path]--; p.mu.Unlock() }()
	if hit != nil {
		close(hit)
	}
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	time.Sleep(p.delay)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<html><body><main><h1>Policy %s</h1><h2>Returns</h2><p>Returns for %s are accepted within 30 days.</p>
<h2>Shipping</h2><p>Parcels for %s ship within 24 hours.</p></main></body></html>`, r.URL.Path, r.URL.Path, r.URL.Path)
}

// TestWorkerProcessesShareJobs runs two real `ragkb worker` processes
// against one PostgreSQL: every resource succeeds, no page is ever fetched
// by both at once, both processes work, and chunks are not duplicated. Then
// one worker is killed with SIGKILL in the middle of a job: the other takes
// it over after the lease expires and the resource still succeeds, again
// without duplicate chunks.
func TestWorkerProcessesShareJobs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dbURL, _ := pgURL(t)
	src := &pages{inflight: map[string]int{}, hold: map[string]chan struct{}{}, hit: map[string]chan struct{}{}, delay: 150 * time.Millisecond}
	web := httptest.NewServer(src)
	defer web.Close()

	// The API runs in this test process (stateless: no worker), the
	// workers are two separate processes.
	s := startServiceNoWorker(t, map[string]string{"RAGKB_DATABASE_URL": dbURL})
	_, merchant, _ := s.tenantWithKeys("Shop")
	w1 := startWorkerProcess(t, dbURL, "RAGKB_JOB_LEASE=2s")
	w2 := startWorkerProcess(t, dbURL, "RAGKB_JOB_LEASE=2s")

	const n = 8
	ids := make([]string, n)
	for i := range ids {
		var r ragkb.Resource
		body := map[string]any{"name": fmt.Sprintf("Policy %d", i), "type": "policy", "policy": map[string]string{"url": fmt.Sprintf("%s/p%d", web.URL, i)}}
		if code := s.call("POST", "/v1/resources", merchant, body, &r); code != 202 {
			t.Fatalf("create: got %d", code)
		}
		ids[i] = r.ID
	}
	for _, id := range ids {
		r := s.waitStatus(merchant, id, 60*time.Second)
		if r.Status != ragkb.StatusSuccess {
			t.Fatalf("resource %s: got %s (%s)", id, r.Status, r.Error)
		}
		chunks := pgQueryInt(t, dbURL, `SELECT count(*) FROM chunks WHERE resource_id = $1`, id)
		vecs := pgQueryInt(t, dbURL, `SELECT count(*) FROM vectors WHERE resource_id = $1`, id)
		if chunks != r.Chunks || vecs != chunks || r.Attempts != 1 {
			t.Fatalf("resource %s: chunks=%d (resource says %d) vectors=%d attempts=%d; want equal counts and one attempt", id, chunks, r.Chunks, vecs, r.Attempts)
		}
	}
	if len(src.overlap) > 0 {
		t.Fatalf("pages fetched by two workers at once: %v", src.overlap)
	}
	c1 := strings.Count(w1.logs.String(), "indexing succeeded")
	c2 := strings.Count(w2.logs.String(), "indexing succeeded")
	if c1+c2 != n || c1 == 0 || c2 == 0 {
		t.Fatalf("jobs per worker: %d and %d, want %d in all and work on both", c1, c2, n)
	}

	// Kill a worker mid-job.
	hold, hit := make(chan struct{}), make(chan struct{})
	src.mu.Lock()
	src.hold["/slow"], src.hit["/slow"] = hold, hit
	src.mu.Unlock()
	var slow ragkb.Resource
	s.call("POST", "/v1/resources", merchant, map[string]any{"name": "Slow", "type": "policy", "policy": map[string]string{"url": web.URL + "/slow"}}, &slow)
	select {
	case <-hit:
	case <-time.After(20 * time.Second):
		t.Fatal("no worker fetched the slow page")
	}
	// Whoever holds the job: kill that process.
	victim, survivor := w1, w2
	if strings.Contains(w2.logs.String(), slow.ID) && !strings.Contains(w1.logs.String(), slow.ID) {
		victim, survivor = w2, w1
	}
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	victim.done <- nil
	close(hold)
	r := s.waitStatus(merchant, slow.ID, 30*time.Second)
	if r.Status != ragkb.StatusSuccess || r.Attempts != 2 {
		t.Fatalf("after the kill: got %s attempts=%d (%s), want success on the second attempt", r.Status, r.Attempts, r.Error)
	}
	if !strings.Contains(survivor.logs.String(), slow.ID) {
		t.Fatal("the surviving worker never took the job over")
	}
	chunks := pgQueryInt(t, dbURL, `SELECT count(*) FROM chunks WHERE resource_id = $1`, slow.ID)
	vecs := pgQueryInt(t, dbURL, `SELECT count(*) FROM vectors WHERE resource_id = $1`, slow.ID)
	if chunks != r.Chunks || vecs != chunks {
		t.Fatalf("after the kill: chunks=%d (resource says %d) vectors=%d: duplicates or leftovers", chunks, r.Chunks, vecs)
	}
}

// startServiceNoWorker runs the API only (as a stateless API server would).
func startServiceNoWorker(t *testing.T, env map[string]string) *testService {
	t.Helper()
	env2 := map[string]string{"RAGKB_DATA_DIR": t.TempDir(), "RAGKB_ADMIN_KEY": testAdminKey, "RAGKB_REFRESH_SCHEDULE": "off"}
	for k, v := range env {
		env2[k] = v
	}
	cfg, err := loadConfig(func(k string) string { return env2[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := buildApp(context.Background(), cfg, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	s := &testService{t: t, app: a, srv: httptest.NewServer(a.Handler())}
	t.Cleanup(func() {
		s.srv.Close()
		a.Close()
	})
	return s
}
