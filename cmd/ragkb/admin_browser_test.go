package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/testenv"
)

// browserSteps drives one tab; every failure saves a screenshot and stops
// the test.
type browserSteps struct {
	t     *testing.T
	ctx   context.Context
	shots string
	lang  string
}

type css = chromedp.CSS

func (b *browserSteps) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(step, " ", "-"))
		b.t.Fatalf("%s: %v", step, err)
	}
}

func (b *browserSteps) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(css(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

func (b *browserSteps) eval(js string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *browserSteps) shot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(b.shots, b.lang+"-"+name+".png"), buf, 0o644)
	}
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
	}
}

// TestAdminPageInBrowser drives the admin page in headless Chromium as a
// shop owner would, in two interface languages: sign in, add a
// questionnaire, wait for the green badge, edit one answer, set up an
// assistant, ask in the playground and see the citation; then, as the
// admin, revoke a key. Screenshots go to test-output/browser/.
func TestAdminPageInBrowser(t *testing.T) {
	chromium := testenv.Chromium(t)
	s := startService(t, t.TempDir(), nil)
	shots := filepath.Join("..", "..", "test-output", "browser")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.WindowSize(1280, 900))
	defer cancel()
	for _, lang := range []string{"en", "pl"} {
		t.Run(lang, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			if err := chromedp.Do(ctx); err != nil { // starts the browser for the life of ctx
				t.Fatalf("start %s: %v", chromium, err)
			}
			b := &browserSteps{t: t, ctx: ctx, shots: shots, lang: lang}
			tenantID, merchant, chatbot := s.tenantWithKeys("Browser shop " + lang)
			const invoice2 = "Yes, a VAT invoice for every order, sent by e-mail the day the parcel leaves."

			b.do("open the page", chromedp.Navigate(s.srv.URL+"/admin"), chromedp.WaitVisible(css("#api-key")))
			if lang != "en" { // the switcher, as a user would; the choice is remembered
				b.eval(fmt.Sprintf(`(function(){var s=document.getElementById("lang-switch"); s.value=%q; s.dispatchEvent(new Event("change")); return true})()`, lang))
			}
			b.eval(`window.confirm = function () { return true }; true`) // delete and revoke ask first
			b.do("sign in",
				chromedp.SendKeys(css("#api-key"), merchant),
				chromedp.Click(css(`#key-form button[type="submit"]`)),
				chromedp.WaitVisible(css("#merchant-view")))
			role, heading := b.text("#role-line"), b.text("#res-h")
			wantHeading := map[string]string{"en": "Resources", "pl": "Zasoby"}[lang]
			if !strings.Contains(role, "merchant") || heading != wantHeading {
				t.Errorf("after sign-in: role line %q, heading %q; want a merchant and %q", role, heading, wantHeading)
			}
			b.shot("1-signed-in")
			b.do("accounts panel", chromedp.WaitVisible(css("#ac-body td")))
			if p := b.eval(`document.getElementById("ac-problem").textContent === ""`); !p {
				t.Errorf("the accounts panel shows a problem: %q", b.text("#ac-problem"))
			}

			b.do("fill the questionnaire",
				chromedp.SendKeys(css("#kb-name"), "Main shop"),
				chromedp.SendKeys(css("#kb-lang"), "en"),
				chromedp.SendKeys(css("#kb-invoice"), invoiceText),
				chromedp.Click(css("#kb-add-custom")),
				chromedp.SendKeys(css(`#kb-custom [data-cq="question"]`), "Do you ship to Switzerland?"),
				chromedp.SendKeys(css(`#kb-custom [data-cq="answer"]`), "Yes, with DHL in 4-6 working days; customs duties are paid by the buyer."),
				chromedp.SendKeys(css(`#kb-custom [data-cq="examples"]`), "Can you deliver to Zurich?"))
			b.shot("2-questionnaire")
			b.do("create it and wait for the green badge",
				chromedp.Click(css("#kb-submit")),
				chromedp.WaitVisible(css(`#res-body .badge.success`)))
			b.shot("3-green-badge")

			b.do("edit one answer",
				chromedp.Click(css(`#res-body button[data-action="edit"]`)),
				chromedp.WaitVisible(css("#kb-cancel")),
				chromedp.WaitVisible(css(`#kb-custom [data-cq="answer"]`)))
			if got, _ := chromedp.Run(ctx, chromedp.Value(css(`#kb-custom [data-cq="examples"]`))); got != "Can you deliver to Zurich?" {
				t.Errorf("the edit form's examples: %q, want them prefilled", got)
			}
			b.shot("4-editing")
			b.do("save the edit",
				chromedp.SetValue(css("#kb-invoice"), invoice2),
				chromedp.Click(css("#kb-submit")),
				chromedp.WaitNotVisible(css("#kb-cancel")),
				chromedp.WaitVisible(css(`#res-body .badge.success`)))
			var rs struct{ Resources []ragkb.Resource }
			s.call("GET", "/v1/resources", merchant, nil, &rs)
			if len(rs.Resources) != 1 || rs.Resources[0].KnowledgeBase == nil || rs.Resources[0].KnowledgeBase.Invoice != invoice2 ||
				len(rs.Resources[0].KnowledgeBase.Custom) != 1 || len(rs.Resources[0].KnowledgeBase.Custom[0].Examples) != 1 {
				t.Fatalf("after the edit: %+v, want one resource with the new invoice answer and its custom question kept", rs.Resources)
			}
			if r := s.waitStatus(merchant, rs.Resources[0].ID, 30*time.Second); r.Status != ragkb.StatusSuccess {
				t.Fatalf("after the edit: %s %s", r.Status, r.Error)
			}

			b.do("set up an assistant",
				chromedp.SendKeys(css("#as-name"), "Web chat"),
				chromedp.Click(css(`#as-resources input[type="checkbox"]`)),
				chromedp.SendKeys(css("#as-fallback"), "Sorry, we will write back within a day."),
				chromedp.SendKeys(css("#as-agent"), "A colleague will take over."),
				chromedp.SendKeys(css("#as-premium"), "product_advice"),
				chromedp.Click(css("#as-submit")),
				chromedp.WaitVisible(css(`#as-body button[data-action="edit"]`)))
			b.shot("5-assistant")
			var as struct{ Assistants []ragkb.Assistant }
			s.call("GET", "/v1/assistants", merchant, nil, &as)
			if len(as.Assistants) != 1 || as.Assistants[0].FallbackMessage != "Sorry, we will write back within a day." ||
				len(as.Assistants[0].ResourceIDs) != 1 || len(as.Assistants[0].PremiumIntents) != 1 || !as.Assistants[0].AutoClose {
				t.Fatalf("assistant saved as %+v", as.Assistants)
			}

			b.do("ask in the playground",
				chromedp.SetValue(css("#ask-asst"), as.Assistants[0].ID),
				chromedp.SendKeys(css("#ask-q"), "Can I get a VAT invoice for my order?"),
				chromedp.Click(css(`#ask-form button[type="submit"]`)),
				chromedp.WaitVisible(css(`#ask-result .citations li`)),
				chromedp.ScrollIntoView(css("#ask-result")))
			if answer, cites := b.text(`#ask-result .answer`), b.text(`#ask-result .citations`); answer != invoice2 || !strings.Contains(cites, "Main shop") {
				t.Errorf("playground: answer %q, citations %q; want the edited answer cited from Main shop", answer, cites)
			}
			b.shot("6-playground")

			b.do("narrow screen", chromedp.EmulateViewport(390, 844), chromedp.ScrollIntoView(css("#res-h")))
			if b.eval(`document.documentElement.scrollWidth > window.innerWidth + 2`) {
				t.Errorf("at 390 px the page scrolls sideways")
			}
			b.shot("7-390px")
			b.do("wide again", chromedp.ResetViewport())

			if code := s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "invoice?"}, nil); code != 200 {
				t.Fatalf("chatbot key before revocation: %d", code)
			}
			keysButton := fmt.Sprintf(`//tr[td[text()=%q]]//button[@data-action="keys"]`, tenantID)
			b.do("revoke a key",
				chromedp.Click(css("#forget-key")),
				chromedp.SendKeys(css("#api-key"), testAdminKey),
				chromedp.Click(css(`#key-form button[type="submit"]`)),
				chromedp.WaitVisible(css("#admin-view")),
				chromedp.WaitVisible(keysButton),
				chromedp.Click(keysButton),
				chromedp.WaitVisible(css(`#keys-body button[data-role="chatbot"]`)))
			b.shot("8-keys")
			b.do("confirm the revocation",
				chromedp.Click(css(`#keys-body button[data-role="chatbot"]`)),
				chromedp.WaitNotPresent(css(`#keys-body button[data-role="chatbot"]`)))
			b.shot("9-revoked")
			if code := s.call("POST", "/v1/answer", chatbot, map[string]string{"question": "invoice?"}, nil); code != http.StatusUnauthorized {
				t.Errorf("the revoked chatbot key: got %d, want 401", code)
			}
		})
	}
}
