// Package policy reads a merchant policy (returns, shipping, privacy, terms),
// given inline as text, markdown or HTML or by the URL of its page, and
// splits it into one ragkb.DocPage document per section.
package policy

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ragkb/ragkb"
)

// Config configures the policy connector.
type Config struct {
	// Logger receives debug output; nil discards it.
	Logger *slog.Logger
}

// Connector implements ragkb.Connector for policy resources.
type Connector struct {
	log *slog.Logger
}

// New returns a policy connector.
func New(cfg Config) *Connector {
	return &Connector{log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
}

// Fetch reads the resource's policy into section documents.
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	p := r.Policy
	if p == nil {
		return nil, ragkb.Invalid("policy", "is required for a policy resource")
	}
	if strings.TrimSpace(p.Content) == "" {
		if p.URL != "" {
			return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Policies given by URL cannot be read yet; paste the policy text instead")
		}
		return nil, ragkb.Invalid("policy.content", "is required when policy.url is not given")
	}
	secs, err := Sections(p.Title, p.Content, p.Format)
	if err != nil {
		return nil, fmt.Errorf("policy: split sections: %w", err)
	}
	if len(secs) == 0 {
		return nil, ragkb.Invalid("policy.content", "has no text")
	}
	return &ragkb.FetchResult{Documents: Documents(secs, "", r.Language)}, nil
}

// Documents turns sections into DocPage documents. pageURL (may be empty) is
// the citation link; a section with an anchor links to pageURL#anchor.
// SourceIDs are "section:<heading slug>" made unique by a "-2", "-3" suffix.
func Documents(secs []Section, pageURL, lang string) []*ragkb.Document {
	seen := map[string]int{}
	docs := make([]*ragkb.Document, 0, len(secs))
	for _, s := range secs {
		id := Slug(s.Heading)
		if id == "" {
			id = "intro"
		}
		seen[id]++
		if n := seen[id]; n > 1 {
			id = fmt.Sprintf("%s-%d", id, n)
		}
		u := pageURL
		if u != "" && s.Anchor != "" {
			u = strings.SplitN(u, "#", 2)[0] + "#" + s.Anchor
		}
		d := &ragkb.Document{
			SourceID: "section:" + id,
			Kind:     ragkb.DocPage,
			Title:    s.Title,
			URL:      u,
			Text:     s.Text,
			Language: lang,
		}
		d.ComputeHash()
		docs = append(docs, d)
	}
	return docs
}
