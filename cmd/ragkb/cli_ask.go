package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ragkb/ragkb"
)

const askHelp = `usage: ragkb ask [flags] "question"

Asks the server a question as a chatbot would (POST /v1/answer) and prints the answer,
its status and tier, and its citations. A chatbot or merchant key works.

  RAGKB_KEY=rk_c_... ragkb ask "Do you issue VAT invoices?"`

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runAsk(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ask", askHelp, stdout)
	u, key := clientFlags(fs, getenv)
	assistant := fs.String("assistant", "", "assistant id (asst_...)")
	lang := fs.String("language", "", "the customer's language, e.g. pl")
	asJSON := fs.Bool("json", false, "print the whole JSON response")
	var resources stringList
	fs.Var(&resources, "resource", "limit to this resource id (repeatable)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if q == "" {
		return usageError(fs, stderr, "give the question")
	}
	c, err := newClient(*u, *key)
	if err != nil {
		return err
	}
	ans, err := c.Answer(ctx, ragkb.AnswerRequest{Question: q, AssistantID: *assistant, Language: *lang, ResourceIDs: resources})
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ans)
	}
	fmt.Fprintln(stdout, ans.Answer)
	fmt.Fprintf(stdout, "\n[%s, tier %s", ans.Status, ans.Tier)
	if ans.Intent != nil && ans.Intent.Name != "" {
		fmt.Fprintf(stdout, ", intent %s %.2f", ans.Intent.Name, ans.Intent.Confidence)
	}
	fmt.Fprintf(stdout, ", %.1f ms]\n", ans.LatencyMS)
	for _, ct := range ans.Citations {
		fmt.Fprintf(stdout, "[%d] %s — %s", ct.ID, ct.ResourceName, ct.Title)
		if ct.URL != "" {
			fmt.Fprintf(stdout, " <%s>", ct.URL)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
