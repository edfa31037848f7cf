package vectorindex

import (
	"math/rand/v2"
	"testing"
)

func TestDot(t *testing.T) {
	tests := []struct {
		name string
		a, b []float32
		want float32
	}{
		{name: "orthogonal", a: []float32{1, 0, 0}, b: []float32{0, 1, 0}, want: 0},
		{name: "same", a: []float32{0.6, 0.8}, b: []float32{0.6, 0.8}, want: 1},
		{name: "opposite", a: []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, b: []float32{-1, -2, -3, -4, -5, -6, -7, -8, -9}, want: -285},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dot(tt.a, tt.b); got < tt.want-1e-4 || got > tt.want+1e-4 {
				t.Fatalf("dot = %v, want %v", got, tt.want)
			}
		})
	}
}

// BenchmarkDot384 is the inner loop of every search (vek's AVX2 kernel;
// a plain Go loop was about 5x slower).
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
