package intent

import (
	"math"
	"math/rand/v2"
	"slices"
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
// A non-nil init (k classes, nfeat features) is the starting point and is
// modified in place.
func trainLinear(xs []sparse, ys []int32, weight []float32, k, nfeat int, p linearParams, rng *rand.Rand, init *linear) *linear {
	m := init
	if m == nil {
		m = &linear{k: k, w: make([]float32, nfeat*k), b: make([]float32, k)}
	}
	if len(xs) == 0 || k == 0 {
		return m
	}
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	z := make([]float64, k)
	g := make([]float32, k)
	active := make([]int, 0, k)
	// rest marks examples fitted so well in the last epoch (p(y) > 0.99,
	// gradient < 0.01) that the next epoch skips them; they are looked at
	// again the epoch after. It roughly halves training time.
	rest := make([]bool, len(xs))
	scale := 1.0
	t := 0.0
	for range p.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			if rest[i] {
				rest[i] = false
				continue
			}
			x, y := xs[i], ys[i]
			eta := p.eta0 / (1 + p.eta0*p.lambda*t)
			t++
			m.logitsScaled(x, float32(scale), z)
			softmaxInPlace(z)
			rest[i] = z[y] > 0.99
			// Gradient of the weighted loss, (p - onehot) * weight, kept
			// only for the classes where it matters: once the model fits,
			// most classes have p ~ 0 and are skipped.
			wi := float64(weight[i])
			active = active[:0]
			for c := range z {
				gc := z[c]
				if int32(c) == y {
					gc--
				}
				gc *= wi
				if gc > -1e-4 && gc < 1e-4 {
					continue
				}
				g[c] = float32(gc)
				active = append(active, c)
			}
			scale *= 1 - eta*p.lambda
			if scale < 1e-6 {
				for q := range m.w {
					m.w[q] *= float32(scale)
				}
				scale = 1
			}
			step := float32(eta / scale)
			for j, f := range x.idx {
				row := m.w[int(f)*k : int(f)*k+k]
				v := x.val[j] * step
				for _, c := range active {
					row[c] -= v * g[c]
				}
			}
			for _, c := range active {
				m.b[c] -= float32(eta*0.1) * g[c]
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

// logitsScaled scores x with the weights multiplied by scale.
func (m *linear) logitsScaled(x sparse, scale float32, out []float64) {
	k := m.k
	acc := make([]float32, k)
	if k <= 128 {
		var buf [128]float32
		acc = buf[:k]
	}
	for j, f := range x.idx {
		axpy(acc, m.w[int(f)*k:int(f)*k+k], x.val[j]*scale)
	}
	for c := range out {
		out[c] = float64(m.b[c]) + float64(acc[c])
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

// axpy adds v*x to y (len(x) >= len(y)), unrolled by four.
func axpy(y, x []float32, v float32) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		ys, xs := y[i:i+4:i+4], x[i:i+4:i+4]
		ys[0] += v * xs[0]
		ys[1] += v * xs[1]
		ys[2] += v * xs[2]
		ys[3] += v * xs[3]
	}
	for ; i < len(y); i++ {
		y[i] += v * x[i]
	}
}

// sparseLinear is a trained linear model with its small weights dropped,
// stored row by row (compressed sparse rows over features). Most weights of a
// model over tens of thousands of n-grams are close to zero, so this keeps a
// tenant's classifier to a few megabytes and scoring proportional to the
// weights that matter.
type sparseLinear struct {
	k        int
	b        []float32
	rowStart []int32
	cls      []int32
	val      []float32
}

// compact drops the weights whose magnitude is below threshold.
func (m *linear) compact(threshold float32) *sparseLinear {
	nf := len(m.w) / max(m.k, 1)
	s := &sparseLinear{k: m.k, b: m.b, rowStart: make([]int32, nf+1)}
	for f := range nf {
		row := m.w[f*m.k : f*m.k+m.k]
		for c, v := range row {
			if v >= threshold || v <= -threshold {
				s.cls = append(s.cls, int32(c))
				s.val = append(s.val, v)
			}
		}
		s.rowStart[f+1] = int32(len(s.cls))
	}
	s.cls = slices.Clip(s.cls)
	s.val = slices.Clip(s.val)
	return s
}

// logits writes the class scores of x into out (len k).
func (s *sparseLinear) logits(x sparse, out []float64) {
	for c := range out {
		out[c] = float64(s.b[c])
	}
	for j, f := range x.idx {
		v := float64(x.val[j])
		lo, hi := s.rowStart[f], s.rowStart[f+1]
		vals := s.val[lo:hi]
		for q, c := range s.cls[lo:hi] {
			out[c] += v * float64(vals[q])
		}
	}
}

// expand returns the dense weights of s over nfeat features and k classes,
// class c of s becoming class classMap[c]. Features beyond s's start at zero.
func (s *sparseLinear) expand(nfeat, k int, classMap []int32) *linear {
	m := &linear{k: k, w: make([]float32, nfeat*k), b: make([]float32, k)}
	for c, v := range s.b {
		m.b[classMap[c]] = v
	}
	for f := range min(len(s.rowStart)-1, nfeat) {
		for q := s.rowStart[f]; q < s.rowStart[f+1]; q++ {
			m.w[f*k+int(classMap[s.cls[q]])] = s.val[q]
		}
	}
	return m
}
