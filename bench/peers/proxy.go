package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// embedProxy is a caching proxy in front of an OpenAI-compatible embedding
// server (POST /v1/embeddings): each (model, input_type, text) is embedded
// once, kept in an append-only log on disk and served from memory after, so
// that every system under test gets identical vectors and a query's latency
// holds a cached round trip, not the model. Misses are forwarded in batches.
type embedProxy struct {
	upstream string // the server's /v1/embeddings URL
	client   *http.Client
	batch    int

	mu   sync.Mutex
	vecs map[string][]float32
	log  *os.File

	// hits and misses count texts served from the cache and forwarded.
	hits, misses atomic.Int64
}

// newEmbedProxy opens (creating it if needed) the cache log at cacheFile and
// loads it; a torn last line from an interrupted run is ignored.
func newEmbedProxy(upstream, cacheFile string) (*embedProxy, error) {
	if err := os.MkdirAll(filepath.Dir(cacheFile), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(cacheFile, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	p := &embedProxy{upstream: embeddingsEndpoint(upstream), client: &http.Client{Timeout: 10 * time.Minute}, batch: 64, vecs: map[string][]float32{}, log: f}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	var good int64
	for sc.Scan() {
		line := sc.Bytes()
		k, v, ok := bytes.Cut(line, []byte("\t"))
		if !ok {
			break
		}
		raw, err := base64.StdEncoding.DecodeString(string(v))
		if err != nil || len(raw) == 0 || len(raw)%4 != 0 {
			break
		}
		vec := make([]float32, len(raw)/4)
		for i := range vec {
			vec[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		p.vecs[string(k)] = vec
		good += int64(len(line)) + 1
	}
	// Drop whatever follows the last good record, so appends start clean.
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return p, nil
}

// embeddingsEndpoint is base's /v1/embeddings URL (a trailing /v1 is accepted).
func embeddingsEndpoint(base string) string {
	return strings.TrimSuffix(strings.TrimRight(base, "/"), "/v1") + "/v1/embeddings"
}

func cacheKey(model, inputType, text string) string {
	h := sha256.Sum256([]byte(model + "\x00" + inputType + "\x00" + text))
	return hex.EncodeToString(h[:])
}

// serve listens on a free loopback port and returns the proxy's base URL and
// a function that stops it.
func (p *embedProxy) serve() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: p}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

func (p *embedProxy) close() error { return p.log.Close() }

type proxyRequest struct {
	Model     string          `json:"model"`
	Input     json.RawMessage `json:"input"`
	InputType string          `json:"input_type,omitempty"`
}

type proxyDatum struct {
	Object    string    `json:"object"`
	Index     int       `json:"index"`
	Embedding []float32 `json:"embedding"`
}

type proxyResponse struct {
	Object string       `json:"object"`
	Data   []proxyDatum `json:"data"`
	Model  string       `json:"model"`
}

func (p *embedProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/embeddings") {
		proxyError(w, http.StatusNotFound, "only POST /v1/embeddings is served")
		return
	}
	var req proxyRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		proxyError(w, http.StatusBadRequest, "bad request: "+err.Error())
		return
	}
	var texts []string
	if err := json.Unmarshal(req.Input, &texts); err != nil {
		var one string
		if err := json.Unmarshal(req.Input, &one); err != nil {
			proxyError(w, http.StatusBadRequest, "input must be a string or a list of strings")
			return
		}
		texts = []string{one}
	}
	vecs, err := p.embed(r.Context(), req.Model, req.InputType, texts)
	if err != nil {
		proxyError(w, http.StatusBadGateway, err.Error())
		return
	}
	resp := proxyResponse{Object: "list", Model: req.Model, Data: make([]proxyDatum, len(vecs))}
	for i, v := range vecs {
		resp.Data[i] = proxyDatum{Object: "embedding", Index: i, Embedding: v}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

func proxyError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg}})
}

// embed returns the vectors of texts, forwarding the ones not cached (each
// distinct text once) in batches and caching what comes back.
func (p *embedProxy) embed(ctx context.Context, model, inputType string, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	keys := make([]string, len(texts))
	var miss []string // distinct texts to forward
	seen := map[string]bool{}
	p.mu.Lock()
	for i, t := range texts {
		keys[i] = cacheKey(model, inputType, t)
		if v, ok := p.vecs[keys[i]]; ok {
			out[i] = v
		} else if !seen[keys[i]] {
			seen[keys[i]] = true
			miss = append(miss, t)
		}
	}
	p.mu.Unlock()
	p.hits.Add(int64(len(texts) - len(miss)))
	p.misses.Add(int64(len(miss)))
	for start := 0; start < len(miss); start += p.batch {
		part := miss[start:min(start+p.batch, len(miss))]
		vecs, err := p.forward(ctx, model, inputType, part)
		if err != nil {
			return nil, err
		}
		if err := p.store(model, inputType, part, vecs); err != nil {
			return nil, err
		}
	}
	if len(miss) > 0 {
		p.mu.Lock()
		for i := range out {
			if out[i] == nil {
				out[i] = p.vecs[keys[i]]
			}
		}
		p.mu.Unlock()
	}
	return out, nil
}

func (p *embedProxy) forward(ctx context.Context, model, inputType string, texts []string) ([][]float32, error) {
	m := map[string]any{"model": model, "input": texts, "encoding_format": "float"}
	if inputType != "" {
		m["input_type"] = inputType
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.upstream, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("embedding server: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("embedding server: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("embedding server: status %d: %.300s", resp.StatusCode, data)
	}
	var r proxyResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("embedding server: %w", err)
	}
	if len(r.Data) != len(texts) {
		return nil, fmt.Errorf("embedding server: %d embeddings for %d inputs", len(r.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range r.Data {
		if d.Index < 0 || d.Index >= len(texts) || out[d.Index] != nil || len(d.Embedding) == 0 {
			return nil, errors.New("embedding server: bad or repeated embedding index")
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// store caches vecs in memory and appends them to the log, one line each
// (sha256 key, tab, base64 of the little-endian float32s).
func (p *embedProxy) store(model, inputType string, texts []string, vecs [][]float32) error {
	var b bytes.Buffer
	for i, v := range vecs {
		raw := make([]byte, 4*len(v))
		for j, f := range v {
			binary.LittleEndian.PutUint32(raw[4*j:], math.Float32bits(f))
		}
		b.WriteString(cacheKey(model, inputType, texts[i]))
		b.WriteByte('\t')
		b.WriteString(base64.StdEncoding.EncodeToString(raw))
		b.WriteByte('\n')
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, v := range vecs {
		p.vecs[cacheKey(model, inputType, texts[i])] = v
	}
	_, err := p.log.Write(b.Bytes())
	return err
}
