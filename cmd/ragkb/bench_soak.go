package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ragkb/ragkb"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"soak", benchSoak})
}

// soakFlags are the soak section's flags (registered by runBench).
var soakFlags struct {
	duration time.Duration
	rate     float64
}

func registerSoakFlags(fs *flag.FlagSet) {
	fs.DurationVar(&soakFlags.duration, "soak-duration", 10*time.Minute, "how long the soak section runs")
	fs.Float64Var(&soakFlags.rate, "soak-rate", 10, "soak operations per second (answers, searches, uploads, refreshes, deletes)")
}

// soakOp is one kind of soak request.
type soakOp int

const (
	opAnswer soakOp = iota
	opSearch
	opUpload
	opRefresh
	opDelete
	numSoakOps
)

// soakMix is the share of each operation, in per mille.
var soakMix = [numSoakOps]int{690, 150, 60, 40, 60}

// soakBucket is one reporting interval.
type soakBucket struct {
	mu        sync.Mutex
	ops       [numSoakOps]int
	errors    int
	conflicts int // 409 "already being indexed" on a refresh: a correct answer, counted apart
	answerLat []float64
	allLat    []float64
	rssMiB    float64
}

// soakClient talks to the child process over loopback.
type soakClient struct {
	base     string
	merchant string
	chatbot  string
	http     *http.Client
}

func (c *soakClient) do(ctx context.Context, method, path, key string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// benchSoak runs a real `ragkb serve` (embedded default, its own temp data
// directory) and sends it a fixed-rate mix of answers, searches, knowledge
// base uploads, policy refreshes and deletes over loopback for
// -soak-duration, reporting errors, latency percentiles and the server's
// RSS per interval, and the RSS slope as a leak check.
func benchSoak(ctx context.Context, w io.Writer, progress io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	_, err = runSoak(ctx, exe, soakFlags.duration, soakFlags.rate, w, progress)
	return err
}

// soakResult is what a soak run found, for the CI test to assert on.
type soakResult struct {
	requests, errors, stuck, failed int
	slope                           float64 // MiB/min after the first interval
	serverLog                       string  // the tail of the server's log
}

// runSoak runs the soak against a `serve` child of the ragkb binary exe and
// writes its report to w.
func runSoak(ctx context.Context, exe string, dur time.Duration, rate float64, w io.Writer, progress io.Writer) (soakResult, error) {
	var res soakResult
	if dur <= 0 {
		dur = 10 * time.Minute
	}
	if rate <= 0 {
		rate = 10
	}
	bucketLen := time.Minute
	if dur < 3*time.Minute {
		bucketLen = dur / 3
	}
	dir, err := os.MkdirTemp("", "ragkb-soak-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)

	// The merchant's policy pages, fetched on every refresh.
	var pageHits atomic.Int64
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		n := pageHits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Returns</title></head><body><main><h1>Returns policy</h1>
<h2>How long do I have?</h2><p>You can return any product within 30 days of delivery (revision %d).</p>
<h2>Refunds</h2><p>Refunds reach your account within 5 working days after we receive the parcel.</p></main></body></html>`, n)
	}))
	defer pages.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	addr := ln.Addr().String()
	ln.Close()
	var kb [16]byte
	_, _ = rand.Read(kb[:])
	adminKey := "rk_soak_" + hex.EncodeToString(kb[:])
	cctx, cancelChild := context.WithCancel(ctx)
	defer cancelChild()
	child := exec.CommandContext(cctx, exe, "serve")
	child.Env = append(os.Environ(), "RAGKB_ADDR="+addr, "RAGKB_DATA_DIR="+dir, "RAGKB_ADMIN_KEY="+adminKey,
		"RAGKB_ALLOW_PRIVATE_URLS=true", "RAGKB_REFRESH_SCHEDULE=off", "RAGKB_LOG_LEVEL=warn", "RAGKB_RATE_LIMIT=0",
		"RAGKB_EMBEDDER=local", "RAGKB_DATABASE_URL=", "RAGKB_VECTOR_STORE=embedded")
	var childLog bytes.Buffer
	child.Stdout, child.Stderr = &childLog, &childLog
	if err := child.Start(); err != nil {
		return res, err
	}
	defer func() {
		_ = child.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = child.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cancelChild()
			<-done
		}
	}()
	c := &soakClient{base: "http://" + addr, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	if err := soakSetup(ctx, c, adminKey); err != nil {
		return res, fmt.Errorf("soak setup: %w (server log: %s)", err, tail(childLog.String(), 2000))
	}
	policies, err := soakPolicies(ctx, c, pages.URL, 4)
	if err != nil {
		return res, fmt.Errorf("soak setup: %w", err)
	}
	fmt.Fprintf(progress, "bench: soak for %s at %.0f ops/s (server pid %d)\n", dur, rate, child.Process.Pid)

	nb := int(math.Ceil(float64(dur) / float64(bucketLen)))
	buckets := make([]*soakBucket, nb)
	for i := range buckets {
		buckets[i] = &soakBucket{}
	}
	var (
		uploadsMu sync.Mutex
		uploads   []string // uploaded resources not yet deleted
		created   atomic.Int64
		deleted   atomic.Int64
		inflight  sync.WaitGroup
		lastRefr  sync.Map // policy id -> time of the last refresh
		seq       atomic.Int64
		overload  atomic.Int64
	)
	sem := make(chan struct{}, 64)
	questions := []string{"Do you ship to Switzerland?", "How long does delivery take?", "Can I get a VAT invoice?",
		"How long do I have to return a product?", "When do I get my refund?", "Which payment methods do you accept?",
		"What is the capital of Peru?", "Can you deliver to Zurich?"}
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	end := start.Add(dur)
	nextRSS := start.Add(bucketLen)
	rss := func() float64 { return rssMiB(child.Process.Pid) }
	rss0 := rss()
	load0 := loadAverage()
	for now := range tick.C {
		if now.After(end) {
			break
		}
		for !now.Before(nextRSS) && nextRSS.Before(end.Add(time.Second)) {
			bi := int(nextRSS.Sub(start)/bucketLen) - 1
			if bi >= 0 && bi < nb {
				buckets[bi].mu.Lock()
				buckets[bi].rssMiB = rss()
				buckets[bi].mu.Unlock()
			}
			nextRSS = nextRSS.Add(bucketLen)
		}
		n := seq.Add(1)
		op := pickSoakOp(n)
		select {
		case sem <- struct{}{}:
		default:
			overload.Add(1) // more than 64 requests in flight: the rate is not being served
			b := buckets[min(int(now.Sub(start)/bucketLen), nb-1)]
			b.mu.Lock()
			b.errors++
			b.mu.Unlock()
			continue
		}
		inflight.Add(1)
		go func(n int64, op soakOp, at time.Time) {
			defer inflight.Done()
			defer func() { <-sem }()
			b := buckets[min(int(at.Sub(start)/bucketLen), nb-1)]
			t0 := time.Now()
			ok, conflict := true, false
			switch op {
			case opAnswer:
				var ans ragkb.AnswerResponse
				code, err := c.do(ctx, "POST", "/v1/answer", c.chatbot, map[string]string{"question": questions[n%int64(len(questions))]}, &ans)
				ok = err == nil && code == 200 && ans.Answer != ""
			case opSearch:
				code, err := c.do(ctx, "POST", "/v1/search", c.merchant, map[string]any{"query": questions[n%int64(len(questions))]}, nil)
				ok = err == nil && code == 200
			case opUpload:
				var r ragkb.Resource
				code, err := c.do(ctx, "POST", "/v1/resources", c.merchant, soakKnowledgeBase(n), &r)
				ok = err == nil && code == 202 && r.ID != ""
				if ok {
					created.Add(1)
					uploadsMu.Lock()
					uploads = append(uploads, r.ID)
					uploadsMu.Unlock()
				}
			case opRefresh:
				id := policies[n%int64(len(policies))]
				if t, ok := lastRefr.Load(id); ok && time.Since(t.(time.Time)) < 3*time.Second {
					id = policies[(n+1)%int64(len(policies))]
				}
				lastRefr.Store(id, time.Now())
				code, err := c.do(ctx, "POST", "/v1/resources/"+id+"/refresh", c.merchant, nil, nil)
				conflict = err == nil && code == 409
				ok = err == nil && (code == 202 || code == 409)
			case opDelete:
				uploadsMu.Lock()
				var id string
				if len(uploads) > 20 { // keep a working set of uploads
					id, uploads = uploads[0], uploads[1:]
				}
				uploadsMu.Unlock()
				if id == "" {
					code, err := c.do(ctx, "GET", "/v1/resources?status=failed", c.merchant, nil, nil)
					ok = err == nil && code == 200
					break
				}
				code, err := c.do(ctx, "DELETE", "/v1/resources/"+id, c.merchant, nil, nil)
				ok = err == nil && code == 204
				if ok {
					deleted.Add(1)
				}
			}
			ms := float64(time.Since(t0).Microseconds()) / 1000
			b.mu.Lock()
			b.ops[op]++
			if !ok {
				b.errors++
			}
			if conflict {
				b.conflicts++
			}
			if op == opAnswer {
				b.answerLat = append(b.answerLat, ms)
			}
			b.allLat = append(b.allLat, ms)
			b.mu.Unlock()
		}(n, op, now)
	}
	inflight.Wait()
	if b := buckets[nb-1]; b.rssMiB == 0 {
		b.rssMiB = rss()
	}

	// Nothing stays in processing: every remaining upload and policy finishes.
	stuck, failed, err := soakSettle(ctx, c, 60*time.Second)
	if err != nil {
		return res, err
	}
	elapsed := time.Since(start)

	fmt.Fprintf(w, "## Soak\n\n")
	fmt.Fprintf(w, "`go run ./cmd/ragkb bench -sections soak -soak-duration %s -soak-rate %.0f`: a real `ragkb serve` child process (embedded default: SQLite, embedded vector index, local embedder; its own temp data directory; rate limit off) driven over loopback at a fixed %.0f requests/s for %s: %d‰ answers, %d‰ searches, %d‰ knowledge-base uploads (a 3-question knowledge base each), %d‰ refreshes of 4 policy pages served by a local HTTP server, %d‰ deletes of the oldest upload (a resource list while fewer than 20 uploads exist). An error is a transport error, an unexpected status or an empty answer; a 409 on a refresh of a page still being indexed is the correct answer and counted apart. RSS is the server process's VmRSS at the end of each interval; the leak check is the least-squares RSS slope after the first interval.\n\n",
		dur, rate, rate, dur, soakMix[opAnswer], soakMix[opSearch], soakMix[opUpload], soakMix[opRefresh], soakMix[opDelete])
	fmt.Fprintf(w, "| interval | requests | errors | refresh 409 | answer p50 ms | answer p99 ms | all p99 ms | server RSS MiB |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	totalErr, total, conflicts := 0, 0, 0
	var xs, ys []float64
	var all []float64
	for i, b := range buckets {
		n := 0
		for _, v := range b.ops {
			n += v
		}
		total += n
		totalErr += b.errors
		conflicts += b.conflicts
		slices.Sort(b.answerLat)
		slices.Sort(b.allLat)
		all = append(all, b.allLat...)
		fmt.Fprintf(w, "| %s–%s | %d | %d | %d | %.2f | %.2f | %.2f | %.1f |\n", fmtMin(time.Duration(i)*bucketLen), fmtMin(time.Duration(i+1)*bucketLen),
			n, b.errors, b.conflicts, pct(b.answerLat, 0.50), pct(b.answerLat, 0.99), pct(b.allLat, 0.99), b.rssMiB)
		if i > 0 && b.rssMiB > 0 {
			xs = append(xs, float64(i+1)*bucketLen.Minutes())
			ys = append(ys, b.rssMiB)
		}
	}
	slices.Sort(all)
	slope := slopeOf(xs, ys)
	verdict := "no growth that looks like a leak"
	switch {
	case len(xs) < 4:
		verdict = "too few intervals to judge a leak (run at least 5 minutes)"
	case slope > 2:
		verdict = "**RSS keeps growing: looks like a leak**"
	}
	fmt.Fprintf(w, "\n%d requests in %s (%.1f/s achieved), **%d errors** (%d of them not sent because 64 were already in flight), %d refresh 409s; all-request p50 %.2f ms, p99 %.2f ms. Uploads %d, deletes %d, policy fetches %d; after the run %d resources were still processing and %d had failed (a 60 s settle). Server RSS %.1f MiB at the start, %.1f MiB at the end; slope after the first interval %+.2f MiB/min: %s.\n\n",
		total, elapsed.Round(time.Second), float64(total)/elapsed.Seconds(), totalErr, overload.Load(), conflicts,
		pct(all, 0.50), pct(all, 0.99), created.Load(), deleted.Load(), pageHits.Load(), stuck, failed, rss0, buckets[nb-1].rssMiB, slope, verdict)
	fmt.Fprintf(w, "Machine load average (1 min, /proc/loadavg) at the start %s, at the end %s, on %d CPUs shared with other work: latency and errors depend on it.\n\n", load0, loadAverage(), runtime.NumCPU())
	res = soakResult{requests: total, errors: totalErr, stuck: stuck, failed: failed, slope: slope, serverLog: tail(childLog.String(), 4000)}
	if totalErr > 0 || stuck > 0 || failed > 0 {
		fmt.Fprintf(progress, "bench: soak: %d errors, %d stuck, %d failed; server log tail:\n%s\n", totalErr, stuck, failed, res.serverLog)
	}
	return res, nil
}

// pickSoakOp spreads the mix evenly over the sequence (deterministic).
func pickSoakOp(n int64) soakOp {
	x := int((n * 379) % 1000) // 379 is prime to 1000: every residue once per 1000 requests
	for op := soakOp(0); op < numSoakOps; op++ {
		if x < soakMix[op] {
			return op
		}
		x -= soakMix[op]
	}
	return opAnswer
}

func soakKnowledgeBase(n int64) map[string]any {
	return map[string]any{"name": fmt.Sprintf("Upload %d", n), "type": "knowledge_base", "language": "en",
		"knowledge_base": map[string]any{"custom": []map[string]any{
			{"question": fmt.Sprintf("Do you sell gift card number %d?", n), "answer": fmt.Sprintf("Yes, gift card %d costs %d euros.", n, 10+n%90)},
			{"question": "Which payment methods do you accept?", "answer": "We accept cards, BLIK and bank transfers."},
			{"question": fmt.Sprintf("Is product %d in stock?", n), "answer": "It ships from our warehouse within 24 hours."},
		}}}
}

// soakBaseKnowledgeBase is the shop's standing knowledge base.
func soakBaseKnowledgeBase() map[string]any {
	return map[string]any{"name": "Main shop", "type": "knowledge_base", "language": "en",
		"knowledge_base": map[string]any{
			"invoice":       "Yes. We issue a VAT invoice for every order: enter your company's tax number at checkout.",
			"delivery_time": "Orders ship within 24 hours; delivery takes 1-3 working days.",
			"custom": []map[string]any{{
				"question": "Do you ship to Switzerland?",
				"answer":   "Yes, we ship to Switzerland with DHL in 4-6 working days; customs duties are paid by the buyer.",
				"examples": []string{"Can you deliver to Zurich?", "shipping to CH?"},
			}},
		}}
}

// soakSetup creates the tenant, its keys and a base knowledge base.
func soakSetup(ctx context.Context, c *soakClient, adminKey string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, err := c.do(ctx, "GET", "/readyz", "", nil, nil)
		if err == nil && code == 200 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server did not become ready: %v %d", err, code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var ten ragkb.Tenant
	if code, err := c.do(ctx, "POST", "/v1/tenants", adminKey, map[string]string{"name": "Soak shop"}, &ten); err != nil || code != 201 {
		return fmt.Errorf("create tenant: %d %v", code, err)
	}
	for role, dst := range map[string]*string{"merchant": &c.merchant, "chatbot": &c.chatbot} {
		var k struct{ Key string }
		if code, err := c.do(ctx, "POST", "/v1/tenants/"+ten.ID+"/keys", adminKey, map[string]string{"role": role}, &k); err != nil || code != 201 {
			return fmt.Errorf("create %s key: %d %v", role, code, err)
		}
		*dst = k.Key
	}
	var r ragkb.Resource
	if code, err := c.do(ctx, "POST", "/v1/resources", c.merchant, soakBaseKnowledgeBase(), &r); err != nil || code != 202 {
		return fmt.Errorf("create knowledge base: %d %v", code, err)
	}
	return waitResource(ctx, c, r.ID)
}

// soakPolicies creates n policy resources fetched from base.
func soakPolicies(ctx context.Context, c *soakClient, base string, n int) ([]string, error) {
	var ids []string
	for i := range n {
		var r ragkb.Resource
		body := map[string]any{"name": fmt.Sprintf("Returns %d", i), "type": "policy", "policy": map[string]string{"url": fmt.Sprintf("%s/returns-%d", base, i)}}
		if code, err := c.do(ctx, "POST", "/v1/resources", c.merchant, body, &r); err != nil || code != 202 {
			return nil, fmt.Errorf("create policy: %d %v", code, err)
		}
		if err := waitResource(ctx, c, r.ID); err != nil {
			return nil, err
		}
		ids = append(ids, r.ID)
	}
	return ids, nil
}

func waitResource(ctx context.Context, c *soakClient, id string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		var r ragkb.Resource
		if _, err := c.do(ctx, "GET", "/v1/resources/"+id, c.merchant, nil, &r); err != nil {
			return err
		}
		switch r.Status {
		case ragkb.StatusSuccess:
			return nil
		case ragkb.StatusFailed:
			return fmt.Errorf("resource %s failed: %s", id, r.Error)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("resource %s still %s after 60s", id, r.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// soakSettle waits until no resource is processing; it returns how many
// still were, and how many had failed.
func soakSettle(ctx context.Context, c *soakClient, within time.Duration) (stuck, failed int, err error) {
	count := func(status ragkb.ResourceStatus) (int, error) {
		var page struct {
			Resources []ragkb.Resource `json:"resources"`
		}
		code, err := c.do(ctx, "GET", "/v1/resources?status="+string(status), c.merchant, nil, &page)
		if err != nil || code != 200 {
			return 0, fmt.Errorf("list resources: %d %v", code, err)
		}
		return len(page.Resources), nil
	}
	deadline := time.Now().Add(within)
	for {
		if stuck, err = count(ragkb.StatusProcessing); err != nil {
			return 0, 0, err
		}
		if stuck == 0 || time.Now().After(deadline) {
			failed, err = count(ragkb.StatusFailed)
			return stuck, failed, err
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// rssMiB is the resident set size of process pid (Linux /proc), 0 elsewhere.
func rssMiB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}

// loadAverage is the 1-minute load average ("?" where /proc is missing).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// slopeOf is the least-squares slope of ys over xs (0 with fewer than 2 points).
func slopeOf(xs, ys []float64) float64 {
	n := float64(len(xs))
	if n < 2 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx, sy, sxx, sxy = sx+xs[i], sy+ys[i], sxx+xs[i]*xs[i], sxy+xs[i]*ys[i]
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

func fmtMin(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return d.Round(time.Second).String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
