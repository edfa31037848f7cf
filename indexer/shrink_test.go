package indexer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/indexer"
)

func catalogue(n int) []*ragkb.Document {
	docs := make([]*ragkb.Document, n)
	for i := range docs {
		docs[i] = offer(fmt.Sprint(i), fmt.Sprintf("Product %d", i), fmt.Sprintf("Price %d EUR.", 10+i))
	}
	return docs
}

func (e *env) documents(t *testing.T) int {
	t.Helper()
	docs, err := e.store.ListDocuments(context.Background(), ragkb.DocumentFilter{TenantID: e.tenant, ResourceIDs: []string{e.res.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return len(docs)
}

func TestBrokenSourceDeletesNothing(t *testing.T) {
	tests := []struct {
		name       string
		next       []*ragkb.Document
		incomplete []string
		unread     []string
		confirm    bool
		wantErr    bool
		wantDocs   int
	}{
		{name: "feed cut in half", next: catalogue(10)[:5], incomplete: []string{"The feed at https://shop.example/feed.xml was read only in part: cut off after 5 products"},
			wantErr: true, wantDocs: 10},
		{name: "cut feed, merchant confirmed", next: catalogue(10)[:5], incomplete: []string{"cut"}, confirm: true, wantDocs: 5},
		{name: "cut feed that still holds everything", next: append(catalogue(10), offer("new", "New", "Price 1 EUR.")), incomplete: []string{"cut"}, wantDocs: 11},
		{name: "count drops by more than half", next: catalogue(4), wantErr: true, wantDocs: 10},
		{name: "count drops by half exactly", next: catalogue(5), wantDocs: 5},
		{name: "count drop confirmed", next: catalogue(4), confirm: true, wantDocs: 4},
		{name: "unread pages are kept", next: catalogue(10)[:3], unread: []string{"3", "4", "5", "6", "7", "8", "9"}, wantDocs: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.docs = catalogue(10)
			e.run(t)
			e.docs, e.incomplete, e.unread = tt.next, tt.incomplete, tt.unread
			res, err := e.try(t, tt.confirm)
			if tt.wantErr {
				var re *ragkb.Error
				if !errors.As(err, &re) || !errors.Is(err, indexer.ErrShrink) || !strings.Contains(re.Message, "Nothing was deleted") {
					t.Fatalf("got %v, want a merchant-readable shrink error", err)
				}
				if len(tt.incomplete) > 0 && !strings.Contains(re.Message, tt.incomplete[0]) {
					t.Errorf("message %q does not give the reason %q", re.Message, tt.incomplete[0])
				}
			} else if err != nil {
				t.Fatalf("got %v, want success", err)
			} else if len(tt.incomplete) > 0 && !strings.Contains(strings.Join(res.Warnings, " "), tt.incomplete[0]) {
				t.Errorf("warnings %q: want the incomplete reason", res.Warnings)
			}
			if got := e.documents(t); got != tt.wantDocs {
				t.Errorf("documents after the run: got %d, want %d", got, tt.wantDocs)
			}
		})
	}
}

func TestShrinkCheckSkipsMerchantEdits(t *testing.T) {
	e := newEnv(t)
	e.res.Type, e.res.Offers = ragkb.TypePolicy, nil
	e.res.Policy = &ragkb.PolicySpec{Content: "inline"}
	e.docs = catalogue(10)
	e.run(t)
	e.docs = catalogue(1)
	if _, err := e.try(t, false); err != nil {
		t.Fatalf("an inline policy edited down must index: %v", err)
	}
}
