package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the ragkb command with args against s, as a merchant or chatbot
// would from a shell with RAGKB_URL and RAGKB_KEY set.
func (s *testService) cli(key string, args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	env := map[string]string{"RAGKB_URL": s.srv.URL, "RAGKB_KEY": key}
	err = run(context.Background(), append([]string{"ragkb"}, args...), func(k string) string { return env[k] }, &out, &errb)
	return out.String(), errb.String(), err
}

// Every subcommand's -h and --help prints its help and does nothing else:
// serve does not listen, migrate creates no database.
func TestEveryCommandHelpDoesNothingElse(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RAGKB_DATA_DIR": dir, "RAGKB_ADDR": "127.0.0.1:0"}
	getenv := func(k string) string { return env[k] }
	for _, cmd := range []string{"serve", "worker", "migrate", "bench", "import", "ask", "resources"} {
		for _, flag := range []string{"-h", "--help"} {
			var out, errb bytes.Buffer
			done := make(chan error, 1)
			go func() { done <- run(t.Context(), []string{"ragkb", cmd, flag}, getenv, &out, &errb) }()
			if err := <-done; err != nil {
				t.Errorf("ragkb %s %s: %v (stderr %q)", cmd, flag, err, errb.String())
			}
			if !strings.Contains(out.String(), "usage: ragkb "+cmd) {
				t.Errorf("ragkb %s %s: stdout %q, want its usage", cmd, flag, out.String())
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("help commands wrote to the data directory: %v", entries)
	}
	var out, errb bytes.Buffer
	err := run(t.Context(), []string{"ragkb", "serv"}, getenv, &out, &errb)
	if !errors.Is(err, errUsage) || !strings.Contains(errb.String(), `unknown command "serv"`) {
		t.Errorf("ragkb serv: got %v, stderr %q; want a usage error naming the command", err, errb.String())
	}
	err = run(t.Context(), []string{"ragkb", "migrate", "now"}, getenv, &out, &errb)
	if !errors.Is(err, errUsage) || !strings.Contains(errb.String(), `unexpected argument "now"`) {
		t.Errorf("ragkb migrate now: got %v, stderr %q", err, errb.String())
	}
}

// An operator's day through the CLI against a real server: import an FAQ
// CSV and a questionnaire, see a misspelt key refused, ask, list, retry and
// refresh.
func TestCLIImportAskResources(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Shop")
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "kb.csv")
	writeFile(t, csvPath, "question,answer,examples\n"+
		"Do you ship to Switzerland?,\"Yes, with DHL in 4-6 working days; customs duties are paid by the buyer.\",Can you deliver to Zurich?|Do you send parcels to Geneva?\n"+
		"Can I pay by bank transfer?,\"Yes, a bank transfer to our account is accepted; the order ships once the money arrives.\",\n")

	out, errOut, err := s.cli(merchant, "import", csvPath)
	if err != nil {
		t.Fatalf("import kb.csv: %v\nstderr: %s", err, errOut)
	}
	if !strings.Contains(out, `"kb" (knowledge_base): success, 2 documents`) {
		t.Errorf("import kb.csv: stdout %q, want the resource's success status with 2 documents", out)
	}
	// Not a terminal: plain lines, no carriage returns or escape codes.
	if !strings.Contains(errOut, "FAQ "+csvPath+" (2 questions)") || !strings.Contains(errOut, "uploaded ") || strings.ContainsAny(errOut, "\r\033") {
		t.Errorf("import progress on a pipe: %q, want plain lines", errOut)
	}
	id := strings.Fields(out)[0]

	out, _, err = s.cli(chatbot, "ask", "Can you deliver to Zurich?")
	if err != nil || !strings.Contains(out, "customs duties are paid by the buyer") || !strings.Contains(out, "[answered, tier fast") || !strings.Contains(out, "[1] kb — Do you ship to Switzerland?") {
		t.Errorf("ask: %v\n%s\nwant the approved answer, its tier and the citation", err, out)
	}

	jsonPath := filepath.Join(dir, "questionnaire.json")
	writeFile(t, jsonPath, `{"invoice": "Yes, a VAT invoice for every order.", "delivery": "1-2 days"}`)
	_, _, err = s.cli(merchant, "import", "-name", "Main shop", jsonPath)
	if err == nil || !strings.Contains(err.Error(), "knowledge_base.delivery") || !strings.Contains(err.Error(), "delivery_time") {
		t.Errorf("import with a misspelt questionnaire key: %v, want an error naming it and the known keys", err)
	}
	writeFile(t, jsonPath, `{"invoice": "`+invoiceText+`", "delivery_time": "Orders ship within 24 hours."}`)
	out, _, err = s.cli(merchant, "import", "-name", "Main shop", "-language", "en", jsonPath)
	if err != nil || !strings.Contains(out, `"Main shop" (knowledge_base): success`) {
		t.Errorf("import questionnaire.json: %v %q", err, out)
	}

	out, _, err = s.cli(merchant, "resources", "list")
	if err != nil || !strings.Contains(out, id) || strings.Count(out, "success") != 2 || !strings.HasPrefix(out, "ID ") {
		t.Errorf("resources list: %v\n%s", err, out)
	}
	_, _, err = s.cli(merchant, "resources", "retry", id)
	if err == nil || !strings.Contains(err.Error(), "not done") {
		t.Errorf("retry of a successful resource: %v, want it refused", err)
	}
	_, errOut, err = s.cli(merchant, "resources", "refresh", id)
	if err == nil || !strings.Contains(errOut, "409") {
		t.Errorf("refresh of a knowledge base: %v %s, want the 409 explained", err, errOut)
	}

	// A feed by URL: created, indexed, refreshed.
	feed, err := os.ReadFile("../../testdata/e2e/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write(feed)
	}))
	defer shop.Close()
	out, errOut, err = s.cli(merchant, "import", "-name", "Feed", shop.URL+"/feed.xml")
	if err != nil || !strings.Contains(out, `"Feed" (offers): success`) {
		t.Fatalf("import feed URL: %v %q %s", err, out, errOut)
	}
	feedID := strings.Fields(out)[0]
	out, errOut, err = s.cli(merchant, "resources", "refresh", feedID)
	if err != nil || !strings.Contains(out, feedID+` "Feed" (offers): success`) {
		t.Errorf("resources refresh: %v %q %s", err, out, errOut)
	}

	// A chatbot key cannot list; the 403 comes back as a readable error.
	_, _, err = s.cli(chatbot, "resources", "list")
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("resources list with a chatbot key: %v, want 403", err)
	}
	_, _, err = s.cli("", "ask", "hello")
	if err == nil || !strings.Contains(err.Error(), "RAGKB_KEY") {
		t.Errorf("ask without a key: %v, want it to say to set RAGKB_KEY", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
