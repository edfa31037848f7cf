package intent

import (
	"math"
	"math/rand/v2"
)

// linear is a multinomial logistic regression over sparse TF-IDF vectors.
// Weights are stored feature-major (w[f*k+c]) so that scoring a question
// touches one contiguous row per feature it has.
type linear struct {
	k int
	w []float32
	b []float32
}

// linearParams are the SGD settings.
type linearParams struct {
	epochs int
	lambda float64 // L2 strength
	eta0   float64 // initial learning rate
}

// trainLinear fits the model with SGD on the softmax loss with L2
// regularisation. The L2 shrinkage is applied lazily through a global scale
// (w = scale*v), so each step costs O(nnz*k) instead of O(features*k).
// Each example's loss is multiplied by weight[i] (class balancing).
func trainLinear(xs []sparse, ys []int32, weight []float32, k, nfeat int, p linearParams, rng *rand.Rand) *linear {
	m := &linear{k: k, w: make([]float32, nfeat*k), b: make([]float32, k)}
	if len(xs) == 0 || k == 0 {
		return m
	}
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	z := make([]float64, k)
	scale := 1.0
	t := 0.0
	for range p.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			x, y := xs[i], ys[i]
			eta := p.eta0 / (1 + p.eta0*p.lambda*t)
			t++
			// Scores.
			for c := range z {
				z[c] = float64(m.b[c])
			}
			for j, f := range x.idx {
				row := m.w[int(f)*k : int(f)*k+k]
				v := float64(x.val[j]) * scale
				for c, wc := range row {
					z[c] += v * float64(wc)
				}
			}
			softmaxInPlace(z)
			// Gradient of the weighted loss: (p - onehot) * weight.
			wi := float64(weight[i])
			for c := range z {
				g := z[c]
				if int32(c) == y {
					g--
				}
				z[c] = g * wi
			}
			scale *= 1 - eta*p.lambda
			if scale < 1e-6 {
				for q := range m.w {
					m.w[q] *= float32(scale)
				}
				scale = 1
			}
			step := eta / scale
			for j, f := range x.idx {
				row := m.w[int(f)*k : int(f)*k+k]
				v := float64(x.val[j]) * step
				for c := range row {
					row[c] -= float32(v * z[c])
				}
			}
			for c := range m.b {
				m.b[c] -= float32(eta * z[c] * 0.1)
			}
		}
	}
	if scale != 1 {
		for q := range m.w {
			m.w[q] *= float32(scale)
		}
	}
	return m
}

// logits writes the class scores of x into out (len k).
func (m *linear) logits(x sparse, out []float64) {
	for c := range out {
		out[c] = float64(m.b[c])
	}
	k := m.k
	for j, f := range x.idx {
		row := m.w[int(f)*k : int(f)*k+k]
		v := float64(x.val[j])
		for c, wc := range row {
			out[c] += v * float64(wc)
		}
	}
}

// softmaxInPlace turns scores into probabilities.
func softmaxInPlace(z []float64) {
	if len(z) == 0 {
		return
	}
	mx := z[0]
	for _, v := range z[1:] {
		mx = max(mx, v)
	}
	var sum float64
	for c, v := range z {
		e := math.Exp(v - mx)
		z[c] = e
		sum += e
	}
	for c := range z {
		z[c] /= sum
	}
}
