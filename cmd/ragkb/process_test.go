package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// buildBinary compiles ragkb once per test binary.
var buildOnce struct {
	sync.Once
	path string
	err  error
}

func ragkbBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ragkb-bin-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "ragkb")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proc is a real `ragkb serve` process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
	done chan error
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func startProcess(t *testing.T, dataDir string, env ...string) *proc {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(ragkbBinary(t), "serve")
	cmd.Env = append(os.Environ(), "RAGKB_ADDR="+addr, "RAGKB_DATA_DIR="+dataDir, "RAGKB_ADMIN_KEY="+testAdminKey,
		"RAGKB_ALLOW_PRIVATE_URLS=true", "RAGKB_REFRESH_SCHEDULE=off", "RAGKB_LOG_LEVEL=debug")
	cmd.Env = append(cmd.Env, env...)
	p := &proc{t: t, cmd: cmd, base: "http://" + addr, logs: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("process logs:\n%s", p.logs.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("ragkb did not become ready: %v\n%s", err, p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *proc) call(method, path, key string, body, out any) int {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func (p *proc) merchant() string {
	p.t.Helper()
	var ten ragkb.Tenant
	p.call("POST", "/v1/tenants", testAdminKey, map[string]string{"name": "Shop"}, &ten)
	var k struct{ Key string }
	if code := p.call("POST", "/v1/tenants/"+ten.ID+"/keys", testAdminKey, map[string]string{"role": "merchant"}, &k); code != 201 {
		p.t.Fatalf("create key: got %d", code)
	}
	return k.Key
}

func (p *proc) waitSuccess(key, id string, within time.Duration) ragkb.Resource {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for {
		var r ragkb.Resource
		p.call("GET", "/v1/resources/"+id, key, nil, &r)
		if r.Status != ragkb.StatusProcessing || time.Now().After(deadline) {
			return r
		}
		time.Sleep(100 * time.Millisecond)
	}
}

const returnsPage = `<!doctype html><html><head><title>Returns</title></head><body>
<nav><a href="/">Home</a></nav>
<main><h1>Returns policy</h1>
<h2>How long do I have?</h2><p>You can return any product within 30 days of delivery, no questions asked.</p>
<h2>Refunds</h2><p>Refunds reach your account within 5 working days after we receive the parcel.</p></main>
<footer>© Shop</footer></body></html>`

// policyFetching creates a policy resource from url and waits until the
// worker is fetching it from page (held there until released).
func (p *proc) policyFetching(key, name, url string, page *heldPage) ragkb.Resource {
	p.t.Helper()
	var res ragkb.Resource
	body := map[string]any{"name": name, "type": "policy", "policy": map[string]string{"url": url}}
	if code := p.call("POST", "/v1/resources", key, body, &res); code != 202 {
		p.t.Fatalf("create: got %d", code)
	}
	select {
	case <-page.hit:
	case <-time.After(20 * time.Second):
		p.t.Fatal("the worker never fetched the page")
	}
	return res
}

// newSlowSource serves returnsPage, holding the first page request until
// released (or until the client goes away).
func newSlowSource() *heldPage { return newHeldPage(returnsPage) }

// TestKilledWorkerNeverLeavesProcessing kills a real ragkb process with
// SIGKILL while its worker is inside a job, starts it again, and checks that
// the job is taken over once its lease expires and the resource succeeds.
func TestKilledWorkerNeverLeavesProcessing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	src := newSlowSource()
	web := httptest.NewServer(src)
	defer web.Close()
	dir := t.TempDir()

	p := startProcess(t, dir, "RAGKB_JOB_LEASE=2s")
	key := p.merchant()
	res := p.policyFetching(key, "Returns", web.URL+"/returns", src)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	p.done <- nil // let the cleanup's receive succeed

	close(src.release) // from now on the page answers at once
	p2 := startProcess(t, dir, "RAGKB_JOB_LEASE=2s")
	var mid ragkb.Resource
	p2.call("GET", "/v1/resources/"+res.ID, key, nil, &mid)
	if mid.Status != ragkb.StatusProcessing {
		t.Fatalf("right after the kill: got %q, want processing (lease not yet expired)", mid.Status)
	}
	got := p2.waitSuccess(key, res.ID, 30*time.Second)
	if got.Status != ragkb.StatusSuccess {
		t.Fatalf("after takeover: got %q (%s), want success", got.Status, got.Error)
	}
	if got.Attempts != 2 {
		t.Fatalf("attempts: got %d, want 2 (the killed run and the takeover)", got.Attempts)
	}
	if got.Documents < 1 {
		t.Fatalf("documents: got %d, want at least 1", got.Documents)
	}
	var sr struct{ Results []ragkb.SearchResult }
	p2.call("POST", "/v1/search", key, map[string]any{"query": "return within 30 days"}, &sr)
	if len(sr.Results) == 0 || !strings.Contains(sr.Results[0].Text, "30 days") {
		t.Fatalf("search after takeover: got %+v", sr.Results)
	}
}

// TestSigtermReleasesJob stops a real process with SIGTERM in the middle of a
// job: it must exit cleanly and give the job back, so the next process takes
// it at once instead of waiting for a (here one-minute) lease to expire.
func TestSigtermReleasesJob(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	src := newSlowSource()
	web := httptest.NewServer(src)
	defer web.Close()
	dir := t.TempDir()
	p := startProcess(t, dir, "RAGKB_JOB_LEASE=60s")
	key := p.merchant()
	res := p.policyFetching(key, "Returns", web.URL+"/returns", src)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p.logs.String())
		}
		p.done <- nil
	case <-time.After(25 * time.Second):
		t.Fatal("process did not exit after SIGTERM")
	}
	close(src.release)
	p2 := startProcess(t, dir, "RAGKB_JOB_LEASE=60s")
	got := p2.waitSuccess(key, res.ID, 15*time.Second)
	if got.Status != ragkb.StatusSuccess {
		t.Fatalf("after restart: got %q (%s), want success well before the 60s lease expires", got.Status, got.Error)
	}
}
