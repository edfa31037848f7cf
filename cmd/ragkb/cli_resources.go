package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/ragkb/ragkb"
)

const resourcesHelp = `usage: ragkb resources list [-status processing|success|failed] [-json]
       ragkb resources retry [-wait 10m] ID...
       ragkb resources refresh [-wait 10m] ID...

Lists the tenant's resources with their status, requeues failed ones (retry) or
fetches a source again now (refresh; offers once a month). retry and refresh wait
for the new status and print it (exit status 1 when one failed).`

func runResources(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || wantsHelp(args[:1]) {
		fmt.Fprintln(stdout, resourcesHelp)
		if len(args) == 0 {
			return errUsage
		}
		return errHelpShown
	}
	sub := args[0]
	fs := newFlagSet("resources "+sub, resourcesHelp, stdout)
	u, key := clientFlags(fs, getenv)
	switch sub {
	case "list":
		status := fs.String("status", "", "only resources with this status")
		asJSON := fs.Bool("json", false, "print JSON")
		if err := parseFlags(fs, args[1:], stderr); err != nil {
			return err
		}
		c, err := newClient(*u, *key)
		if err != nil {
			return err
		}
		rs, err := c.ListResources(ctx, ragkb.ResourceStatus(*status))
		if err != nil {
			return fmt.Errorf("resources list: %w", err)
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"resources": rs})
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tTYPE\tSTATUS\tDOCS\tCHUNKS\tUPDATED\tERROR")
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.ID, r.Name, r.Type, r.Status, r.Documents, r.Chunks,
				r.UpdatedAt.Format(time.DateTime), r.Error)
		}
		return tw.Flush()
	case "retry", "refresh":
		wait := fs.Duration("wait", 10*time.Minute, "how long to wait for the new status (0: do not wait)")
		if err := parseFlags(fs, args[1:], stderr); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			fmt.Fprintf(stderr, "ragkb resources %s: give one or more resource ids\n", sub)
			return errUsage
		}
		c, err := newClient(*u, *key)
		if err != nil {
			return err
		}
		tty := isTerminal(stderr)
		var failed error
		notDone := 0
		for _, id := range fs.Args() {
			var r ragkb.Resource
			if sub == "retry" {
				r, err = c.RetryResource(ctx, id)
			} else {
				r, err = c.RefreshResource(ctx, id)
			}
			if err == nil && *wait > 0 {
				r, err = waitIndexed(ctx, c, id, *wait, tty, stderr)
			}
			if err != nil {
				fmt.Fprintf(stderr, "ragkb resources %s %s: %v\n", sub, id, err)
				notDone++
				failed = fmt.Errorf("resources %s: %d of %d not done", sub, notDone, fs.NArg())
				continue
			}
			if err := finish(stdout, r); err != nil {
				failed = err
			}
		}
		return failed
	default:
		fmt.Fprintf(stderr, "ragkb resources: unknown subcommand %q (list, retry or refresh)\n\n%s\n", sub, resourcesHelp)
		return errUsage
	}
}
