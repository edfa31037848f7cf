package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/client"
)

const importHelp = `usage: ragkb import [flags] FILE|URL

Adds knowledge to the tenant of the key and waits until it is indexed, then prints
the resource's status (exit status 1 when it failed).

  FILE.json   a questionnaire: the knowledge_base object of API.md ({"invoice": "...",
              "custom": [...]}) or a whole resource body ({"name", "type", "knowledge_base"})
  FILE.csv    an FAQ: a header row with the columns question, answer and (optional)
              examples, several examples separated by | or new lines
  URL         a product feed or page fetched by the server: -source google_feed (default),
              schema_org, shopify, woocommerce or allegro; -type faq_page for an FAQ page

Progress is a bar on a terminal and plain lines otherwise.

  RAGKB_URL=http://localhost:8080 RAGKB_KEY=rk_m_... ragkb import kb.csv`

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", importHelp, stdout)
	u, key := clientFlags(fs, getenv)
	name := fs.String("name", "", "resource name (default: the file name)")
	lang := fs.String("language", "", "ISO 639-1 language of the content, e.g. pl")
	typ := fs.String("type", "", "for a URL: offers (default) or faq_page")
	source := fs.String("source", ragkb.SourceGoogleFeed, "for an offers URL: google_feed, schema_org, shopify, woocommerce, allegro")
	token := fs.String("token", getenv("RAGKB_SOURCE_TOKEN"), "for an offers URL: the source's access token (env RAGKB_SOURCE_TOKEN)")
	wait := fs.Duration("wait", 10*time.Minute, "how long to wait for indexing (0: do not wait)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(fs, stderr, "give one FILE or URL")
	}
	c, err := newClient(*u, *key)
	if err != nil {
		return err
	}
	arg := fs.Arg(0)
	var body []byte
	var what string
	contentType := "application/json"
	switch ext := strings.ToLower(filepath.Ext(arg)); {
	case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
		in := client.ResourceInput{Name: nameOr(*name, arg), Language: *lang}
		switch *typ {
		case "", "offers":
			in.Type, in.Offers = ragkb.TypeOffers, &ragkb.OffersSpec{Source: *source, URL: arg, Token: *token}
		case "faq_page":
			in.Type, in.FAQPage = ragkb.TypeFAQPage, &ragkb.FAQPageSpec{URL: arg}
		default:
			return fmt.Errorf("import: -type %q: use offers or faq_page for a URL", *typ)
		}
		body, _ = json.Marshal(in)
		what = string(in.Type) + " " + arg
	case ext == ".json":
		raw, err := os.ReadFile(arg)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		if body, err = questionnaireBody(raw, nameOr(*name, arg), *lang); err != nil {
			return fmt.Errorf("import: %s: %w", arg, err)
		}
		what = "questionnaire " + arg
	case ext == ".csv":
		f, err := os.Open(arg)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		qs, err := readFAQCSV(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("import: %s: %w", arg, err)
		}
		in := client.ResourceInput{Name: nameOr(*name, arg), Type: ragkb.TypeKnowledgeBase, Language: *lang,
			KnowledgeBase: &ragkb.KnowledgeBase{Custom: qs}}
		body, _ = json.Marshal(in)
		if len(body) > 4<<20 { // past the JSON body limit's comfort: one question per line
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			in.KnowledgeBase = &ragkb.KnowledgeBase{}
			_ = enc.Encode(in)
			for _, q := range qs {
				_ = enc.Encode(q)
			}
			body, contentType = buf.Bytes(), "application/x-ndjson"
		}
		what = fmt.Sprintf("FAQ %s (%d questions)", arg, len(qs))
	case ext == ".xml" || ext == ".tsv" || ext == ".txt":
		return fmt.Errorf("import: %s: a feed is fetched by the server, so give its URL (ragkb import -source google_feed https://shop.example/feed.xml)", arg)
	default:
		return fmt.Errorf("import: %s: unknown kind of file: use .json (questionnaire), .csv (FAQ) or a URL", arg)
	}

	tty := isTerminal(stderr)
	fmt.Fprintf(stderr, "importing %s, %s\n", what, sizeOf(len(body)))
	pr := &progressReader{r: bytes.NewReader(body), total: len(body)}
	done := make(chan struct{})
	go pr.report(done, tty, stderr)
	r, err := c.CreateResourceBody(ctx, contentType, pr)
	close(done)
	pr.finish(tty, stderr)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(stderr, "created %s, indexing\n", r.ID)
	if *wait > 0 {
		if r, err = waitIndexed(ctx, c, r.ID, *wait, tty, stderr); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	return finish(stdout, r)
}

func nameOr(name, arg string) string {
	if name != "" {
		return name
	}
	if strings.Contains(arg, "://") {
		return arg
	}
	return strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
}

// questionnaireBody turns a questionnaire file into a resource body, keeping
// its keys exactly as written so that the server names any unknown one.
func questionnaireBody(raw []byte, name, lang string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if _, whole := obj["knowledge_base"]; !whole {
		obj = map[string]json.RawMessage{"knowledge_base": raw}
	}
	set := func(k, v string) {
		if v != "" {
			obj[k], _ = json.Marshal(v)
		}
	}
	if _, ok := obj["name"]; !ok {
		set("name", name)
	}
	set("language", lang)
	if _, ok := obj["type"]; !ok {
		set("type", string(ragkb.TypeKnowledgeBase))
	}
	return json.Marshal(obj)
}

// readFAQCSV reads custom questions from a CSV with a header row naming the
// columns question, answer and optionally examples.
func readFAQCSV(r io.Reader) ([]ragkb.CustomQuestion, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("no header row: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	qi, okQ := col["question"]
	ai, okA := col["answer"]
	ei, okE := col["examples"]
	if !okQ || !okA {
		return nil, fmt.Errorf("the header row must name the columns question and answer (and optionally examples); it has %q", head)
	}
	var out []ragkb.CustomQuestion
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		q := ragkb.CustomQuestion{Question: get(qi), Answer: get(ai)}
		if q.Question == "" && q.Answer == "" {
			continue
		}
		if q.Question == "" || q.Answer == "" {
			return nil, fmt.Errorf("line %d: both question and answer are needed", line)
		}
		if okE {
			for _, e := range strings.FieldsFunc(get(ei), func(r rune) bool { return r == '|' || r == '\n' }) {
				if e = strings.TrimSpace(e); e != "" {
					q.Examples = append(q.Examples, e)
				}
			}
		}
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, errors.New("no questions below the header row")
	}
	return out, nil
}

// progressReader counts the bytes the HTTP client has read of the body.
type progressReader struct {
	r     io.Reader
	total int
	n     atomic.Int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n.Add(int64(n))
	return n, err
}

// report draws the upload bar on a terminal until done; plain output gets
// only the finish line.
func (p *progressReader) report(done <-chan struct{}, tty bool, w io.Writer) {
	if !tty {
		return
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			p.draw(w)
		}
	}
}

func (p *progressReader) draw(w io.Writer) {
	const width = 30
	n := int(p.n.Load())
	frac := 1.0
	if p.total > 0 {
		frac = float64(n) / float64(p.total)
	}
	fill := int(frac * width)
	fmt.Fprintf(w, "\r\033[Kuploading [%s%s] %3.0f%% %s", strings.Repeat("#", fill), strings.Repeat(".", width-fill), frac*100, sizeOf(n))
}

func (p *progressReader) finish(tty bool, w io.Writer) {
	if tty {
		p.draw(w)
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintf(w, "uploaded %s\n", sizeOf(int(p.n.Load())))
}

func sizeOf(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
