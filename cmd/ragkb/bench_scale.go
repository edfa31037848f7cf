package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
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
	}{"scale", benchScale})
}

// scaleFlags are the scale section's flags (registered by runBench).
var scaleFlags struct {
	sizes   string
	load    time.Duration
	queries int
}

func registerScaleFlags(fs *flag.FlagSet) {
	fs.StringVar(&scaleFlags.sizes, "scale-sizes", "50,1000,5000,15000,20000,100000", "custom questions in the one tenant of the scale section")
	fs.DurationVar(&scaleFlags.load, "scale-load", 5*time.Second, "length of each HTTP load run of the scale section")
	fs.IntVar(&scaleFlags.queries, "scale-queries", 300, "questions of each kind (exact, paraphrase) per size in the scale section")
}

// scaleQuestion is one generated custom question with the phrasings the
// bench asks.
type scaleQuestion struct {
	Question   string   `json:"question"`
	Answer     string   `json:"answer"`
	Examples   []string `json:"examples,omitempty"`
	paraphrase string   // not uploaded: asked to measure paraphrases
}

var (
	scaleBrands = []string{"Nordwind", "Alpenglow", "Trailblazer", "Kestrel", "Solvik", "Marlow", "Brightwater", "Ostara", "Calder", "Ravenna",
		"Pinecrest", "Vandra", "Halvard", "Lumen", "Sierra Vista", "Tamsin", "Orkney", "Balto", "Corvina", "Elmhurst",
		"Fjordline", "Glenmore", "Ironbark", "Juniper", "Kaskada", "Lindholm", "Meridian", "Northcape", "Oakridge", "Polaris",
		"Quillon", "Redwood", "Stormhaven", "Tundra", "Umbria", "Vesper", "Wildmoor", "Yellowtail", "Zephyr", "Aurelia"}
	scaleProducts = []string{"jacket", "backpack", "tent", "sleeping bag", "hiking boots", "rain coat", "fleece", "trekking poles", "headlamp", "water bottle",
		"camping stove", "duffel bag", "gloves", "beanie", "ski pants", "sandals", "running shoes", "softshell", "down vest", "hammock",
		"cooler box", "camp chair", "lantern", "compass", "thermos", "gaiters", "sunglasses", "bike helmet", "climbing harness", "dry bag"}
	scaleModels = []string{"Pro", "Lite", "Max", "Mini", "Plus", "Air", "Trek", "Eco", "Ultra", "Classic", "Sport", "Junior", "Expedition", "Urban", "Storm", "Flex"}
	// attributes: question phrase, example phrase, paraphrase, answer phrase.
	scaleAttrs = [][4]string{
		{"Is the %s waterproof?", "Does the %s keep the rain out?", "Will I stay dry in heavy rain with the %s?", "the %s is waterproof to 10,000 mm"},
		{"Is the %s machine washable?", "Can I put the %s in the washing machine?", "How do I wash the %s, can it go in the washer?", "the %s can be machine washed at 30 degrees"},
		{"What sizes does the %s come in?", "Which sizes are available for the %s?", "Do you have the %s in my size?", "the %s comes in sizes XS to XXL"},
		{"How much does the %s weigh?", "What is the weight of the %s?", "Is the %s heavy to carry?", "the %s weighs 640 grams"},
		{"Does the %s have a warranty?", "What warranty comes with the %s?", "What happens if the %s breaks after a year?", "the %s has a 3-year warranty"},
		{"What colours is the %s available in?", "Which colours does the %s come in?", "Can I get the %s in another colour?", "the %s is sold in black, olive and navy"},
		{"Can I repair the %s?", "Do you offer repairs for the %s?", "Who fixes the %s if it tears?", "the %s can be repaired at our workshop"},
		{"What is the %s made of?", "Which material is the %s made from?", "What fabric does the %s use?", "the %s is made of recycled polyester"},
		{"Is the %s suitable for winter?", "Can I use the %s in the snow?", "Will the %s keep me warm below zero?", "the %s is rated down to minus 10 degrees"},
		{"When will the %s be back in stock?", "Is the %s out of stock?", "Can I still buy the %s?", "the %s is restocked every month"},
	}
	scaleCountries = []string{"Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland", "France",
		"Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania", "Luxembourg", "Malta", "Netherlands",
		"Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden", "Norway", "Switzerland", "Iceland",
		"United Kingdom", "Canada", "Mexico", "Brazil", "Argentina", "Chile", "Japan", "South Korea", "Australia", "New Zealand"}
	scaleCouriers = []string{"DHL", "UPS", "FedEx", "GLS", "DPD", "InPost", "Poste Italiane", "Colissimo", "Correos", "Royal Mail"}
)

// scaleQuestions generates n distinct custom questions: product questions
// (brand × product × model line × attribute) and shipping questions
// (country × courier), each with one uploaded example and a paraphrase
// kept for asking. Deterministic for a given n.
func scaleQuestions(n int) []scaleQuestion {
	rng := rand.New(rand.NewPCG(uint64(n), 15))
	seen := map[string]bool{}
	out := make([]scaleQuestion, 0, n)
	for len(out) < n {
		var q scaleQuestion
		if rng.IntN(20) == 0 {
			c := scaleCountries[rng.IntN(len(scaleCountries))]
			k := scaleCouriers[rng.IntN(len(scaleCouriers))]
			q = scaleQuestion{Question: fmt.Sprintf("Do you ship to %s with %s?", c, k),
				Examples:   []string{fmt.Sprintf("Can %s deliver my order to %s?", k, c)},
				paraphrase: fmt.Sprintf("Is delivery to %s by %s possible?", c, k),
				Answer:     fmt.Sprintf("Yes, %s delivers to %s in %d to %d working days.", k, c, 2+rng.IntN(4), 6+rng.IntN(6))}
		} else {
			p := fmt.Sprintf("%s %s %s", scaleBrands[rng.IntN(len(scaleBrands))], scaleModels[rng.IntN(len(scaleModels))], scaleProducts[rng.IntN(len(scaleProducts))])
			a := scaleAttrs[rng.IntN(len(scaleAttrs))]
			q = scaleQuestion{Question: fmt.Sprintf(a[0], p), Examples: []string{fmt.Sprintf(a[1], p)}, paraphrase: fmt.Sprintf(a[2], p),
				Answer: "Yes: " + fmt.Sprintf(a[3], p) + "."}
		}
		if seen[q.Question] {
			continue
		}
		seen[q.Question] = true
		out = append(out, q)
	}
	return out
}

// scaleRow is one size's measurements.
type scaleRow struct {
	n                          int
	upload, index, build       time.Duration
	heapBefore, heapAfter, rss float64 // MiB
	exact, para                [4]int  // right, wrong, refused, wrong on the fast tier
	fastP50, fastP99, allP50   time.Duration
	fastShare                  float64
	answerRPS, healthRPS       float64
}

// benchScale measures one tenant with many custom questions: uploaded as
// NDJSON through the HTTP API, indexed, its intent lane built, then asked
// in-process and over loopback HTTP.
func benchScale(ctx context.Context, w io.Writer, progress io.Writer) error {
	var sizes []int
	for _, s := range strings.Split(scaleFlags.sizes, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(s), &n); err != nil || n < 1 {
			return fmt.Errorf("-scale-sizes: %q is not a number of questions", s)
		}
		sizes = append(sizes, n)
	}
	var rows []scaleRow
	for _, n := range sizes {
		fmt.Fprintf(progress, "bench: scale: %d custom questions\n", n)
		r, err := benchScaleSize(ctx, n, progress)
		if err != nil {
			return fmt.Errorf("%d questions: %w", n, err)
		}
		rows = append(rows, r)
	}
	fmt.Fprintf(w, "## Scale of one tenant\n\n")
	fmt.Fprintf(w, "`go run ./cmd/ragkb bench -sections scale` (sizes `-scale-sizes %s`), measured %s on %d CPUs shared with other work (load average %s at the end). One tenant, embedded default (SQLite, embedded vector index, local embedder), an in-process app per size in a fresh data directory. The custom questions are generated: product questions (40 brands × 16 model lines × 30 products × 10 attributes: \"Is the Kestrel Pro tent waterproof?\") and shipping questions (40 countries × 10 couriers), each uploaded with one example phrasing, as one NDJSON knowledge base (`POST /v1/resources`, `application/x-ndjson`) through the HTTP handler on loopback. *Index* is until the resource is `success`; *lane build* is the first answer after it (the tenant's lane is built then; later rebuilds run in the background while the previous lane answers); heap is the Go heap after a GC, before and after that build; RSS is the process's. Tenants with up to 150 custom questions train them into the classifier; more are matched by the nearest-phrasing index (README, Intent lane). Answers are asked in-process (`answer.Service.Answer`) for %d sampled questions word for word and %d paraphrases never uploaded (\"Will I stay dry in heavy rain with the Kestrel Pro tent?\"): *right* = answered with that question's text (any tier), *wrong* = answered with another text (in brackets: of those, by the fast tier, i.e. the intent lane; the rest are grounded answers from retrieval after the lane stepped aside), *refused* = not answered (fallback, clarify, agent). The HTTP load is 32 connections for %s each on `/v1/answer` (the same questions) and on `/healthz` of the same server (rate limit off); the ratio is answer requests/s over healthz requests/s.\n\n",
		scaleFlags.sizes, time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), loadAverage(), scaleFlags.queries, scaleFlags.queries, scaleFlags.load)
	fmt.Fprintf(w, "| custom questions | upload | index | lane build | heap before → after build MiB | RSS MiB | exact right / wrong (fast tier) / refused | paraphrase right / wrong (fast tier) / refused | fast tier share | fast p50 | fast p99 | all p50 | /v1/answer req/s | /healthz req/s | ratio |\n|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	pct := func(c [4]int) string {
		t := float64(max(c[0]+c[1]+c[2], 1))
		return fmt.Sprintf("%.1f%% / %.1f%% (%.1f%%) / %.1f%%", 100*float64(c[0])/t, 100*float64(c[1])/t, 100*float64(c[3])/t, 100*float64(c[2])/t)
	}
	for _, r := range rows {
		fmt.Fprintf(w, "| %d | %s | %s | %s | %.0f → %.0f | %.0f | %s | %s | %.0f%% | %s | %s | %s | %.0f | %.0f | %.3f |\n", r.n,
			r.upload.Round(time.Millisecond), r.index.Round(10*time.Millisecond), r.build.Round(time.Millisecond), r.heapBefore, r.heapAfter, r.rss,
			pct(r.exact), pct(r.para), 100*r.fastShare, fmtDur(r.fastP50), fmtDur(r.fastP99), fmtDur(r.allP50), r.answerRPS, r.healthRPS, r.answerRPS/max(r.healthRPS, 1))
	}
	fmt.Fprintln(w)
	return nil
}

func fmtDur(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return d.Round(100 * time.Microsecond).String()
}

func heapMiB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

func benchScaleSize(ctx context.Context, n int, progress io.Writer) (scaleRow, error) {
	r := scaleRow{n: n}
	dir, err := os.MkdirTemp("", "ragkb-scale-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	env := map[string]string{
		"RAGKB_DATA_DIR": dir, "RAGKB_ADMIN_KEY": "rk_scale_admin_0123456789abcdef", "RAGKB_REFRESH_SCHEDULE": "off",
		"RAGKB_RATE_LIMIT": "0", "RAGKB_EMBEDDER": "local", "RAGKB_DATABASE_URL": "", "RAGKB_VECTOR_STORE": "embedded", "RAGKB_LOG_LEVEL": "error",
	}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		return r, err
	}
	a, err := buildApp(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return r, err
	}
	defer a.Close()
	a.Worker.Start(ctx)
	defer a.Worker.Stop()
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	c := &soakClient{base: srv.URL, http: &http.Client{Timeout: 10 * time.Minute}}
	var ten ragkb.Tenant
	if code, err := c.do(ctx, "POST", "/v1/tenants", env["RAGKB_ADMIN_KEY"], map[string]string{"name": "Scale shop"}, &ten); code != 201 {
		return r, fmt.Errorf("create tenant: %d %v", code, err)
	}
	for _, role := range []string{"merchant", "chatbot"} {
		var k struct{ Key string }
		if code, err := c.do(ctx, "POST", "/v1/tenants/"+ten.ID+"/keys", env["RAGKB_ADMIN_KEY"], map[string]string{"role": role}, &k); code != 201 {
			return r, fmt.Errorf("create %s key: %d %v", role, code, err)
		}
		if role == "merchant" {
			c.merchant = k.Key
		} else {
			c.chatbot = k.Key
		}
	}

	qs := scaleQuestions(n)
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	_ = enc.Encode(map[string]any{"name": "Catalogue FAQ", "type": "knowledge_base", "language": "en"})
	for _, q := range qs {
		_ = enc.Encode(q)
	}
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v1/resources", &body)
	req.Header.Set("Authorization", "Bearer "+c.merchant)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := c.http.Do(req)
	if err != nil {
		return r, err
	}
	var res ragkb.Resource
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 && resp.StatusCode != 202 {
		return r, fmt.Errorf("upload: %d %s", resp.StatusCode, tail(string(data), 500))
	}
	if err := json.Unmarshal(data, &res); err != nil {
		return r, err
	}
	r.upload = time.Since(start)
	if err := waitResourceWithin(ctx, c, res.ID, 30*time.Minute); err != nil {
		return r, err
	}
	r.index = time.Since(start) - r.upload
	fmt.Fprintf(progress, "bench: scale: %d uploaded in %s, indexed in %s\n", n, r.upload, r.index)

	r.heapBefore = heapMiB()
	start = time.Now()
	if _, err := a.Answers.Answer(ctx, ten.ID, &ragkb.AnswerRequest{Question: qs[0].Question}); err != nil {
		return r, err
	}
	r.build = time.Since(start)
	r.heapAfter = heapMiB()
	r.rss = rssMiB(os.Getpid())

	// In-process answers.
	rng := rand.New(rand.NewPCG(uint64(n), 16))
	var fast, all []time.Duration
	var asked []string
	wrongShown := 0
	ask := func(q string, want *scaleQuestion, tally *[4]int) error {
		t0 := time.Now()
		ans, err := a.Answers.Answer(ctx, ten.ID, &ragkb.AnswerRequest{Question: q})
		d := time.Since(t0)
		if err != nil {
			return err
		}
		all = append(all, d)
		if ans.Tier == ragkb.TierFast && ans.Status == ragkb.AnswerAnswered {
			fast = append(fast, d)
		}
		switch {
		case ans.Status != ragkb.AnswerAnswered:
			tally[2]++
		case ans.Answer == want.Answer || len(ans.Citations) > 0 && ans.Citations[0].Title == want.Question:
			tally[0]++
		default:
			tally[1]++
			if ans.Tier == ragkb.TierFast {
				tally[3]++
			}
			if wrongShown < 3 {
				wrongShown++
				fmt.Fprintf(progress, "bench: scale: %d: wrong: %q (for %q) -> %q (%s %v)\n", n, q, want.Question, ans.Answer, ans.Tier, ans.Intent)
			}
		}
		return nil
	}
	for range min(scaleFlags.queries, n) {
		q := &qs[rng.IntN(len(qs))]
		if err := ask(q.Question, q, &r.exact); err != nil {
			return r, err
		}
		if err := ask(q.paraphrase, q, &r.para); err != nil {
			return r, err
		}
		asked = append(asked, q.Question, q.paraphrase)
	}
	r.fastShare = float64(len(fast)) / float64(max(len(all), 1))
	r.fastP50, r.fastP99 = percentileDur(fast, 0.5), percentileDur(fast, 0.99)
	r.allP50 = percentileDur(all, 0.5)

	// HTTP load over loopback.
	var errs int
	r.answerRPS, errs = loadRun(ctx, srv.URL+"/v1/answer", c.chatbot, asked, scaleFlags.load)
	if errs > 0 {
		return r, fmt.Errorf("%d errors in the /v1/answer load run", errs)
	}
	r.healthRPS, _ = loadRun(ctx, srv.URL+"/healthz", "", nil, scaleFlags.load)
	fmt.Fprintf(progress, "bench: scale: %d: build %s, heap %.0f→%.0f MiB, fast p50 %s, %.0f vs %.0f req/s\n", n, r.build, r.heapBefore, r.heapAfter, r.fastP50, r.answerRPS, r.healthRPS)
	return r, nil
}

// waitResourceWithin polls a resource until it leaves processing.
func waitResourceWithin(ctx context.Context, c *soakClient, id string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var res ragkb.Resource
		if _, err := c.do(ctx, "GET", "/v1/resources/"+id, c.merchant, nil, &res); err != nil {
			return err
		}
		switch res.Status {
		case ragkb.StatusSuccess:
			return nil
		case ragkb.StatusFailed:
			return fmt.Errorf("resource failed: %s", res.Error)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("resource %s still processing after %s", id, within)
}

func percentileDur(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// loadRun sends requests from 32 connections for d: POSTs of questions
// (cycled) with key, or GETs when questions is nil. It returns requests/s
// and the number of failed requests.
func loadRun(ctx context.Context, url, key string, questions []string, d time.Duration) (float64, int) {
	const conns = 32
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var done, failed, next atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	var bodies [][]byte
	for _, q := range questions {
		b, _ := json.Marshal(map[string]string{"question": q})
		bodies = append(bodies, b)
	}
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) && ctx.Err() == nil {
				var req *http.Request
				if bodies == nil {
					req, _ = http.NewRequestWithContext(ctx, "GET", url, nil)
				} else {
					req, _ = http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(bodies[int(next.Add(1))%len(bodies)]))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+key)
				}
				resp, err := cl.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Add(1)
					continue
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), int(failed.Load())
}
