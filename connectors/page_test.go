package connectors

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestMainContent(t *testing.T) {
	long := strings.Repeat("Returns are accepted within thirty days of delivery. ", 6)
	tests := []struct {
		name     string
		html     string
		want     string // must be in the text
		notWant  []string
		wantLang string
	}{
		{
			name: "main element wins",
			html: `<html lang="pl-PL"><body><nav>Menu</nav><main><h1>Zwroty</h1><p>` + long + `</p></main><footer>Footer</footer></body></html>`,
			want: "Returns are accepted", notWant: []string{"Menu", "Footer"}, wantLang: "pl",
		},
		{
			name: "cookie class on body keeps the page",
			html: `<html><body class="home cookies-not-set"><div id="cookie-law-info-bar">We use cookies</div><div class="entry"><p>` + long + `</p></div></body></html>`,
			want: "Returns are accepted", notWant: []string{"We use cookies"},
		},
		{
			name: "largest paragraph block without landmarks",
			html: `<html><body><div class="side"><p>Short note.</p></div><div class="text"><p>` + long + `</p><p>` + long + `</p></div></body></html>`,
			want: "Returns are accepted", notWant: []string{"Short note"},
		},
		{
			name: "header inside article is content",
			html: `<html><body><header>Site</header><article><header><h1>Terms</h1></header><p>` + long + `</p></article></body></html>`,
			want: "Terms", notWant: []string{"Site"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(tt.html))
			if err != nil {
				t.Fatal(err)
			}
			if got := PageLanguage(doc); got != tt.wantLang {
				t.Errorf("language: got %q, want %q", got, tt.wantLang)
			}
			got := SelectionText(MainContent(doc))
			if !strings.Contains(got, tt.want) {
				t.Errorf("text %q lacks %q", got, tt.want)
			}
			for _, nw := range tt.notWant {
				if strings.Contains(got, nw) {
					t.Errorf("text %q contains boilerplate %q", got, nw)
				}
			}
		})
	}
}
