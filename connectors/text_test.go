package connectors

import (
	"strings"
	"testing"
)

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "paragraphs and lists", in: "<p>One <b>bold</b>\n word.</p><ul><li>a</li><li>b</li></ul>", want: "One bold word.\n- a\n- b"},
		{name: "scripts and styles dropped", in: "<style>p{}</style><p>x</p><script>alert(1)</script>", want: "x"},
		{name: "br and entities", in: "a &amp; b<br>c&nbsp;d", want: "a & b\nc d"},
		{name: "table cells", in: "<table><tr><td>Size</td><td>M</td></tr></table>", want: "Size | M"},
		{name: "plain text", in: "  just   text \n\n more ", want: "just text\nmore"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLText(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{name: "short", in: "abc", n: 10, want: "abc"},
		{name: "sentence boundary", in: "First sentence here. Second sentence is long.", n: 25, want: "First sentence here.…"},
		{name: "sentence too early, word boundary", in: "First sentence here. Second sentence is long.", n: 30, want: "First sentence here. Second…"},
		{name: "word boundary", in: "alpha beta gamma delta epsilon", n: 20, want: "alpha beta gamma…"},
		{name: "runes", in: strings.Repeat("ż", 10), n: 4, want: "żżżż…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Truncate(tt.in, tt.n); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
