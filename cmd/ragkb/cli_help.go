package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// commandHelp is the one-paragraph help of each subcommand, printed by
// `ragkb CMD -h` and `ragkb help CMD`.
var commandHelp = map[string]string{
	"serve": `usage: ragkb serve

Runs the API (on RAGKB_ADDR, default :8080: every interface; RAGKB_ADDR=127.0.0.1:8080
for this machine only) and the indexing worker in one process. Configuration comes
from the environment: see ragkb help.`,
	"worker": `usage: ragkb worker

Runs only the indexing worker, against PostgreSQL (RAGKB_DATABASE_URL) with vectors in
pgvector or Qdrant. Run any number of them beside ragkb serve.`,
	"migrate": `usage: ragkb migrate

Applies the database migrations (SQLite in RAGKB_DATA_DIR, or RAGKB_DATABASE_URL) and exits.`,
	"version": `usage: ragkb version

Prints the version.`,
	"bench": `usage: ragkb bench [flags]

Runs the benchmarks and writes the Markdown report (BENCHMARKS.md with -out).`,
}

// wantsHelp reports whether args ask for help (before any "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// noArgs accepts no arguments for a server command: a stray one is a usage
// error rather than silently ignored.
func noArgs(cmd string, args []string, stderr io.Writer) error {
	if len(args) == 0 {
		return nil
	}
	fmt.Fprintf(stderr, "ragkb %s: unexpected argument %q\n\n%s\n", cmd, args[0], commandHelp[cmd])
	return errUsage
}

// newFlagSet returns a flag set for a client subcommand whose -h prints
// help (the summary, then the flags) to stdout.
func newFlagSet(name, summary string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), strings.TrimSpace(summary))
		fmt.Fprintln(fs.Output(), "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; help is printed to stdout and reported as
// errHelpShown, a bad flag is printed to stderr with the usage.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	if wantsHelp(args) {
		fs.Usage()
		return errHelpShown
	}
	out := fs.Output()
	fs.SetOutput(stderr)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if err != nil {
		return errUsage // the flag package has printed the problem and the usage
	}
	return nil
}

// errHelpShown ends a command after its help was printed: not a failure.
var errHelpShown = errors.New("help shown")

// usageError prints what is missing and the command's help to stderr.
func usageError(fs *flag.FlagSet, stderr io.Writer, msg string) error {
	fmt.Fprintf(stderr, "ragkb %s: %s\n\n", fs.Name(), msg)
	fs.SetOutput(stderr)
	fs.Usage()
	return errUsage
}
