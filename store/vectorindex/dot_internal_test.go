package vectorindex

import (
	"math/rand/v2"
	"testing"

	"github.com/viterin/vek/vek32"
)

func BenchmarkDot384(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := make([]float32, 384), make([]float32, 384)
	for i := range x {
		x[i], y[i] = r.Float32(), r.Float32()
	}
	var s float32
	for b.Loop() {
		s += dot(x, y)
	}
	_ = s
}

func BenchmarkDotVek384(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := make([]float32, 384), make([]float32, 384)
	for i := range x {
		x[i], y[i] = r.Float32(), r.Float32()
	}
	var s float32
	for b.Loop() {
		s += vek32.Dot(x, y)
	}
	_ = s
}
