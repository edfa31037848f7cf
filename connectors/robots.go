package connectors

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/temoto/robotstxt"
)

// MaxRobotsBytes is how much of a robots.txt is read (RFC 9309 asks for at least 500 KiB).
const MaxRobotsBytes = 500 << 10

type robotsEntry struct {
	data    *robotstxt.RobotsData
	fetched time.Time
}

// agent is the product token matched against robots.txt groups ("ragkb").
func (f *Fetcher) agent() string {
	a, _, _ := strings.Cut(f.cfg.UserAgent, "/")
	return strings.TrimSpace(a)
}

// robotsFor returns the cached or freshly fetched robots.txt of u's site.
func (f *Fetcher) robotsFor(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, error) {
	key := u.Scheme + "://" + u.Host
	now := f.cfg.Now()
	f.mu.Lock()
	e := f.robots[key]
	f.mu.Unlock()
	if e != nil && now.Sub(e.fetched) < f.cfg.RobotsTTL {
		return e.data, nil
	}
	data, err := f.fetchRobots(ctx, key+"/robots.txt")
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.robots[key] = &robotsEntry{data: data, fetched: now}
	f.mu.Unlock()
	return data, nil
}

func (f *Fetcher) fetchRobots(ctx context.Context, robotsURL string) (*robotstxt.RobotsData, error) {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return nil, ragkb.Errorf(ragkb.EINVALID, "%q is not a valid URL", robotsURL)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/plain, */*")
	res, err := f.client.Do(req)
	if err != nil {
		return nil, f.transportError(ctx, robotsURL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, MaxRobotsBytes))
	if err != nil {
		return nil, f.transportError(ctx, robotsURL, err)
	}
	status := res.StatusCode
	if status >= 300 && status < 400 { // redirect loop or too many: treat as missing
		status = http.StatusNotFound
	}
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil { // unparsable robots.txt: no usable rules
		f.log.DebugContext(ctx, "robots.txt unreadable", "url", robotsURL, "err", err)
		data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	return data, nil
}

// allowedByRobots refuses u when the site's robots.txt disallows it for ragkb.
func (f *Fetcher) allowedByRobots(ctx context.Context, u *url.URL) error {
	data, err := f.robotsFor(ctx, u)
	if err != nil {
		return err
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	// TestAgent, unlike FindGroup(agent).Test, honours the disallow-all
	// verdict of a 5xx robots.txt.
	if !data.TestAgent(path, f.agent()) {
		return &ragkb.Error{Code: ragkb.EFORBIDDEN, Err: errors.New("disallowed by robots.txt"),
			Message: "The site's robots.txt does not allow ragkb to read " + u.String() +
				"; allow the user agent \"" + f.agent() + "\" or paste the content instead"}
	}
	return nil
}

// crawlDelay is the cached Crawl-delay for u's site (0 when unknown).
func (f *Fetcher) crawlDelay(u *url.URL) time.Duration {
	f.mu.Lock()
	e := f.robots[u.Scheme+"://"+u.Host]
	f.mu.Unlock()
	if e == nil {
		return 0
	}
	return e.data.FindGroup(f.agent()).CrawlDelay
}

// RobotsSitemaps returns the Sitemap lines of the robots.txt of site's host.
func (f *Fetcher) RobotsSitemaps(ctx context.Context, site string) ([]string, error) {
	u, err := ParseURL(site)
	if err != nil {
		return nil, err
	}
	if err := f.CheckURL(ctx, u.String()); err != nil {
		return nil, err
	}
	data, err := f.robotsFor(ctx, u)
	if err != nil {
		return nil, err
	}
	return data.Sitemaps, nil
}
