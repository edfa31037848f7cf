package postgres_test

import (
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/storetest"
)

func TestVectorStoreConformance(t *testing.T) {
	storetest.RunVectorStore(t, func(t *testing.T, dims int) ragkb.VectorStore {
		return newStore(t, dims).Vectors()
	})
}

func TestVectorsDisabledWithoutDimensions(t *testing.T) {
	v := newStore(t, 0).Vectors()
	_, err := v.Search(t.Context(), ragkb.VectorQuery{TenantID: "ten_a", Vector: []float32{1, 0}, K: 1})
	if err == nil {
		t.Fatal("Search on a store without dimensions succeeded, want an error")
	}
}
