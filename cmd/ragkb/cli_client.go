package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/client"
)

// The client subcommands (import, ask, resources) talk to a running server
// through package client; they need no server configuration.

// clientFlags adds -url and -key (defaults RAGKB_URL, RAGKB_KEY) to fs.
func clientFlags(fs *flag.FlagSet, getenv func(string) string) (u, key *string) {
	u = fs.String("url", cmp.Or(getenv("RAGKB_URL"), "http://localhost:8080"), "server address (env RAGKB_URL)")
	key = fs.String("key", getenv("RAGKB_KEY"), "merchant key, rk_m_... (env RAGKB_KEY; prefer the variable: flags are visible to other users)")
	return u, key
}

func newClient(u, key string) (*client.Client, error) {
	if strings.TrimSpace(key) == "" {
		return nil, errors.New("no API key: set RAGKB_KEY (a merchant key, rk_m_...) or pass -key")
	}
	c := client.New(u, key)
	c.UserAgent = "ragkb-cli/" + version
	return c, nil
}

// runClientCommand runs import, ask or resources.
func runClientCommand(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var err error
	switch cmd {
	case "import":
		err = runImport(ctx, args, getenv, stdout, stderr)
	case "ask":
		err = runAsk(ctx, args, getenv, stdout, stderr)
	case "resources":
		err = runResources(ctx, args, getenv, stdout, stderr)
	}
	if errors.Is(err, errHelpShown) {
		return nil
	}
	return err
}

// isTerminal reports whether w is a terminal (progress bars) rather than a
// file or pipe (plain lines).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// waitIndexed polls a resource until it leaves processing, reporting on
// progress: a spinner line on a terminal, a plain line every few seconds
// otherwise. It returns the final resource.
func waitIndexed(ctx context.Context, c *client.Client, id string, timeout time.Duration, tty bool, progress io.Writer) (ragkb.Resource, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	spin := `|/-\`
	lastLine := time.Time{}
	for i := 0; ; i++ {
		r, err := c.GetResource(ctx, id)
		if err != nil {
			if tty {
				fmt.Fprintln(progress)
			}
			return r, err
		}
		el := time.Since(start).Truncate(100 * time.Millisecond)
		if r.Status != ragkb.StatusProcessing {
			if tty {
				fmt.Fprintf(progress, "\r\033[Kindexing %s done in %s\n", id, el)
			}
			return r, nil
		}
		switch {
		case tty:
			fmt.Fprintf(progress, "\r\033[Kindexing %s %c %s (attempt %d)", id, spin[i%len(spin)], el, max(r.Attempts, 1))
		case time.Since(lastLine) >= 2*time.Second:
			fmt.Fprintf(progress, "%s: processing (%s)\n", id, el)
			lastLine = time.Now()
		}
		select {
		case <-ctx.Done():
			if tty {
				fmt.Fprintln(progress)
			}
			return r, fmt.Errorf("%s still processing after %s (check later with: ragkb resources list)", id, timeout)
		case <-tick.C:
		}
	}
}

// statusLine is the one line that ends import, retry and refresh.
func statusLine(r ragkb.Resource) string {
	s := fmt.Sprintf("%s %q (%s): %s", r.ID, r.Name, r.Type, r.Status)
	switch r.Status {
	case ragkb.StatusSuccess:
		s += fmt.Sprintf(", %d documents, %d chunks", r.Documents, r.Chunks)
	case ragkb.StatusFailed:
		s += ": " + r.Error
	}
	for _, w := range r.Warnings {
		s += "\n  warning: " + w
	}
	return s
}

// finish prints r's status line and turns a failed resource into an error
// (exit status 1) so scripts can tell.
func finish(stdout io.Writer, r ragkb.Resource) error {
	fmt.Fprintln(stdout, statusLine(r))
	if r.Status == ragkb.StatusFailed {
		return fmt.Errorf("%s failed: %s", r.ID, r.Error)
	}
	return nil
}
