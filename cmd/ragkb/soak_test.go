package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"
	"time"
)

// TestSoakShort runs the soak of `ragkb bench -sections soak` for a short
// while in CI: a real `ragkb serve` process driven over loopback at a fixed
// rate with answers, searches, uploads, refreshes and deletes mixed. Every
// request must succeed and nothing may be left processing or failed. The
// RSS slope is only reported: 30 s is too short to judge a leak (the
// 10-minute run in BENCHMARKS.md does). RAGKB_TEST_SOAK_DURATION lengthens it.
func TestSoakShort(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: not in -short")
	}
	dur := 30 * time.Second
	if v := os.Getenv("RAGKB_TEST_SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("RAGKB_TEST_SOAK_DURATION: %v", err)
		}
		dur = d
	}
	exe := ragkbBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), dur+3*time.Minute)
	defer cancel()
	var report bytes.Buffer
	res, err := runSoak(ctx, exe, dur, 10, &report, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("soak report:\n%s", report.String())
	if res.requests < int(dur.Seconds())*10/2 {
		t.Errorf("soak sent %d requests in %s at 10/s: the driver did not keep the rate", res.requests, dur)
	}
	if res.errors > 0 || res.stuck > 0 || res.failed > 0 {
		t.Errorf("soak: %d errors, %d resources still processing, %d failed (want 0, 0, 0); server log tail:\n%s", res.errors, res.stuck, res.failed, res.serverLog)
	}
}
