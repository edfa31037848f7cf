package app

import (
	"context"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestStopAllKeepsTheBudget: a part that never stops does not hold the
// shutdown past its budget, and is named.
func TestStopAllKeepsTheBudget(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	block := make(chan struct{})
	defer close(block)
	var stopped atomic.Bool
	left := stopAll(ctx, map[string]func(){
		"stuck": func() { <-block },
		"quick": func() { stopped.Store(true) },
	})
	if !slices.Equal(left, []string{"stuck"}) {
		t.Errorf("still stopping = %v, want [stuck]", left)
	}
	if ctx.Err() == nil {
		t.Errorf("stopAll returned before the budget ended with a part still stopping")
	}
	if !stopped.Load() {
		t.Errorf("the quick part was not stopped")
	}
	if left := stopAll(context.Background(), map[string]func(){"a": func() {}, "b": func() {}}); left != nil {
		t.Errorf("parts that stop: still stopping = %v, want none", left)
	}
}

// TestRunShutsDownWithinTheBudget holds a connection that never finishes
// its request, so draining cannot end by itself: Run must still return once
// Config.ShutdownTimeout is spent, not later.
func TestRunShutsDownWithinTheBudget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	const budget = 1500 * time.Millisecond
	a, err := New(context.Background(), Config{DataDir: t.TempDir(), Addr: addr, AdminKey: "run-test-admin-key-0123", RefreshSchedule: "off", ShutdownTimeout: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var conn net.Conn
	for range 100 {
		if conn, err = net.Dial("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if conn == nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer conn.Close()
	// A request cut off in its body: the server waits for the rest.
	if _, err := conn.Write([]byte("POST /v1/answer HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if el := time.Since(start); el < budget/2 {
			t.Errorf("Run returned after %s: the request in flight was not waited for", el)
		}
	case <-time.After(budget + 5*time.Second):
		t.Fatalf("Run did not return within %s of the cancel (budget %s)", budget+5*time.Second, budget)
	}
}
