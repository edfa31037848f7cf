// Command ragkb runs the ragkb service.
//
//	ragkb serve     API and worker in one process (the embedded default)
//	ragkb worker    only the worker (needs PostgreSQL; vectors in pgvector or Qdrant)
//	ragkb migrate   apply database migrations and exit
//	ragkb bench     run the benchmarks and write BENCHMARKS.md
//	ragkb version
//	ragkb import FILE|URL, ragkb ask "question", ragkb resources list|retry|refresh
//	                (client commands: talk to a running server, see package client)
//
// Configuration comes from the environment (see `ragkb help`).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "ragkb:", err)
		}
		os.Exit(1)
	}
}

// run is main with its dependencies passed in, so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 1 {
		cmd = args[1]
	}
	var rest []string
	if len(args) > 2 {
		rest = args[2:]
	}
	switch cmd {
	case "version", "-v", "--version":
		fmt.Fprintln(stdout, "ragkb", version)
		return nil
	case "help", "-h", "--help":
		if h, ok := commandHelp[first(rest)]; ok {
			fmt.Fprintln(stdout, h)
			return nil
		}
		if c := first(rest); c == "import" || c == "ask" || c == "resources" {
			return runClientCommand(ctx, c, []string{"-h"}, getenv, stdout, stderr)
		}
		usage(stdout)
		return nil
	case "import", "ask", "resources":
		return runClientCommand(ctx, cmd, rest, getenv, stdout, stderr)
	case "bench":
		if wantsHelp(rest) {
			fmt.Fprintln(stdout, commandHelp[cmd]+"\n\nFlags:")
			_ = runBench(ctx, []string{"-h"}, stdout, stdout)
			return nil
		}
	case "serve", "worker", "migrate":
		if wantsHelp(rest) {
			fmt.Fprintln(stdout, commandHelp[cmd])
			return nil
		}
		if err := noArgs(cmd, rest, stderr); err != nil {
			return err
		}
	default:
		fmt.Fprintf(stderr, "ragkb: unknown command %q\n\n", cmd)
		usage(stderr)
		return errUsage
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	switch cmd {
	case "serve":
		return runServe(ctx, cfg, log, stdout)
	case "worker":
		return runWorker(ctx, cfg, log)
	case "migrate":
		return runMigrate(ctx, cfg, log, stdout)
	case "bench":
		return runBench(ctx, rest, stdout, stderr)
	}
	return nil // not reached: every command is handled above
}

func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

func usage(w io.Writer) {
	fmt.Fprint(w, `ragkb: trustworthy answers for customer-support chatbots.

Commands:
  serve     run the API and the worker in one process (default)
  worker    run only the worker (PostgreSQL + pgvector or Qdrant)
  migrate   apply database migrations and exit
  bench     run the benchmarks (-out FILE, -sizes 10000,100000, -sections ..., -database-url URL, -soak-duration 10m, -soak-rate 20)
  version   print the version

Client commands (talk to a running server: RAGKB_URL, default http://localhost:8080,
and RAGKB_KEY, a merchant key):
  import    add a questionnaire (.json), an FAQ (.csv) or a feed URL and wait for its status
  ask       ask a question and print the answer with its citations
  resources list, retry or refresh resources

ragkb COMMAND -h prints a command's help.

Environment:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range envVars {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.name, v.def, v.help)
	}
	tw.Flush()
}
