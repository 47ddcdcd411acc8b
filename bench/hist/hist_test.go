package hist

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestQuantilesWithinPrecision(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	h := New()
	var raw []int64
	for i := 0; i < 200_000; i++ {
		us := int64(r.ExpFloat64() * 3000) // mean 3 ms, long tail
		raw = append(raw, us)
		h.Record(time.Duration(us) * time.Microsecond)
	}
	slices.Sort(raw)
	for _, q := range []float64{0.5, 0.9, 0.95, 0.99, 0.999} {
		want := raw[int(q*float64(len(raw)))-1]
		got := h.Quantile(q).Microseconds()
		if diff := float64(got-want) / float64(want); diff > 0.02 || diff < -0.02 {
			t.Errorf("p%v = %dµs, exact %dµs (%.1f%% off)", q*100, got, want, diff*100)
		}
	}
	if h.Count() != 200_000 || h.Max().Microseconds() != raw[len(raw)-1] {
		t.Errorf("count %d max %v", h.Count(), h.Max())
	}
}

func TestBucketsAreMonotonic(t *testing.T) {
	prev := -1
	for us := int64(0); us < 1<<22; us += 1 + us/50 {
		i := index(us)
		if i < prev || lowerBound(i) > us || lowerBound(i+1) <= us {
			t.Fatalf("value %d in bucket %d [%d,%d)", us, i, lowerBound(i), lowerBound(i+1))
		}
		prev = i
	}
}

func TestMerge(t *testing.T) {
	a, b := New(), New()
	for i := 1; i <= 100; i++ {
		a.Record(time.Duration(i) * time.Millisecond)
		b.Record(time.Duration(i+100) * time.Millisecond)
	}
	a.Merge(b)
	if a.Count() != 200 || a.Max() != 200*time.Millisecond {
		t.Fatalf("merged count %d max %v", a.Count(), a.Max())
	}
	if p := a.Quantile(0.5); p < 98*time.Millisecond || p > 102*time.Millisecond {
		t.Fatalf("median %v", p)
	}
	if New().Quantile(0.5) != 0 {
		t.Fatal("empty histogram")
	}
}
