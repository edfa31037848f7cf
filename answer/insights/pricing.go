package insights

import (
	"strconv"
	"strings"

	"github.com/ragkb/ragkb"
)

// Price is what a model costs, in USD per million tokens.
type Price struct {
	Prompt, Completion float64
}

// Prices maps a model name to its price; "*" is the price of any other model.
type Prices map[string]Price

// Cost is the USD cost of the tokens at m's price (0 for unpriced models).
func (p Prices) Cost(model string, prompt, completion int) float64 {
	pr, ok := p[model]
	if !ok {
		pr, ok = p["*"]
	}
	if !ok {
		return 0
	}
	return (float64(prompt)*pr.Prompt + float64(completion)*pr.Completion) / 1e6
}

// ParsePrices reads RAGKB_LLM_PRICES: comma-separated
// model=prompt:completion in USD per million tokens, e.g.
// "gpt-4o-mini=0.15:0.60,*=1:3".
func ParsePrices(s string) (Prices, error) {
	out := Prices{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		model, rest, ok := strings.Cut(part, "=")
		in, outp, ok2 := strings.Cut(rest, ":")
		pi, err1 := strconv.ParseFloat(strings.TrimSpace(in), 64)
		po, err2 := strconv.ParseFloat(strings.TrimSpace(outp), 64)
		if !ok || !ok2 || strings.TrimSpace(model) == "" || err1 != nil || err2 != nil || pi < 0 || po < 0 {
			return nil, ragkb.Invalid("RAGKB_LLM_PRICES", "%q must be model=prompt:completion in USD per million tokens, e.g. gpt-4o-mini=0.15:0.60", part)
		}
		out[strings.TrimSpace(model)] = Price{Prompt: pi, Completion: po}
	}
	return out, nil
}
