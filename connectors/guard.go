package connectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ragkb/ragkb"
)

// blockedPrefixes are networks a public web fetch must never reach: loopback,
// RFC 1918, unique-local, link-local (cloud metadata at 169.254.169.254),
// CGNAT, "this network", benchmarking, reserved and the NAT64/6to4 forms
// that embed an IPv4 address.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/96"),           // unspecified, loopback and IPv4-compatible (::7f00:1)
	netip.MustParsePrefix("::ffff:0:0:0/96"), // IPv4-translated (::ffff:0:7f00:1)
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("fec0::/10"), // site-local (deprecated, still routed privately)
	netip.MustParsePrefix("ff00::/8"),
}

// PublicAddr reports whether ip is a public unicast address that ragkb may
// fetch from. IPv4-mapped IPv6 addresses are judged by their IPv4 form.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsMulticast() ||
		ip.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// numericIPv4 parses the legacy inet_aton forms browsers and C resolvers
// accept ("2130706433", "0x7f000001", "0177.0.0.1", "127.1") so that they
// cannot smuggle a private address past the guard as a "host name".
func numericIPv4(host string) (netip.Addr, bool) {
	parts := strings.Split(host, ".")
	if len(parts) > 4 || host == "" {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 0, 32)
		if err != nil {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	var n uint64
	last := len(vals) - 1
	for i, v := range vals[:last] {
		if v > 255 {
			return netip.Addr{}, false
		}
		n |= v << (8 * (3 - i))
	}
	if vals[last] >= 1<<(8*(4-last)) {
		return netip.Addr{}, false
	}
	n |= vals[last]
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// hostAddr returns the IP address a URL host names literally, if any.
func hostAddr(host string) (netip.Addr, bool) {
	h := strings.Trim(host, "[]")
	if i := strings.IndexByte(h, '%'); i >= 0 { // zone
		h = h[:i]
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip, true
	}
	return numericIPv4(h)
}

// blockedError is returned by the dialer when an address is not public.
type blockedError struct{ addr netip.Addr }

func (e *blockedError) Error() string { return "address " + e.addr.String() + " is not public" }

func privateURLError(u string, err error) error {
	return &ragkb.Error{Code: ragkb.EINVALID, Err: err, Message: fmt.Sprintf(
		"%s is a private network address; ragkb does not fetch those (set RAGKB_ALLOW_PRIVATE_URLS=true for intranets)", u)}
}

// CheckURL checks that raw is an absolute http(s) URL whose host is allowed
// (resolving it; every address must be public unless AllowPrivate). The
// dialer checks the address it connects to again, so a DNS answer that
// changes between check and connect cannot reach a private network.
func (f *Fetcher) CheckURL(ctx context.Context, raw string) error {
	u, err := ParseURL(raw)
	if err != nil {
		return err
	}
	if f.cfg.AllowPrivate || f.allowedHost(u.Host) {
		return nil
	}
	if ip, ok := hostAddr(u.Hostname()); ok {
		if !PublicAddr(ip) {
			return privateURLError(raw, &blockedError{ip})
		}
		return nil
	}
	ips, err := f.lookup(ctx, u.Hostname())
	if err != nil {
		return f.netError(raw, err)
	}
	if len(ips) == 0 {
		return &ragkb.Error{Code: ragkb.EINVALID, Message: fmt.Sprintf("the host of %s has no addresses", raw)}
	}
	for _, ip := range ips {
		if !PublicAddr(ip) {
			return privateURLError(raw, &blockedError{ip})
		}
	}
	return nil
}

// ParseURL parses an absolute http or https URL, or explains what is wrong.
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, &ragkb.Error{Code: ragkb.EINVALID, Message: fmt.Sprintf("%q is not a valid URL", raw), Err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, ragkb.Errorf(ragkb.EINVALID, "%q must start with https:// or http://", raw)
	}
	if u.Hostname() == "" {
		return nil, ragkb.Errorf(ragkb.EINVALID, "%q has no host name", raw)
	}
	if u.User != nil {
		return nil, ragkb.Errorf(ragkb.EINVALID, "%q must not contain a user name or password", raw)
	}
	return u, nil
}

func (f *Fetcher) allowedHost(hostport string) bool {
	for _, h := range f.cfg.AllowHosts {
		if strings.EqualFold(h, hostport) {
			return true
		}
	}
	return false
}

func (f *Fetcher) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if f.cfg.LookupIP != nil {
		return f.cfg.LookupIP(ctx, host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// dialContext resolves the host itself, refuses non-public addresses and
// dials exactly the address it checked (no second resolution to rebind).
func (f *Fetcher) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	d := &net.Dialer{Timeout: f.cfg.DialTimeout, KeepAlive: 30e9}
	if f.cfg.AllowPrivate || f.allowedHost(addr) || f.allowedHost(host) {
		return d.DialContext(ctx, network, addr)
	}
	var ips []netip.Addr
	if ip, ok := hostAddr(host); ok {
		ips = []netip.Addr{ip}
	} else if ips, err = f.lookup(ctx, host); err != nil {
		return nil, err
	}
	for _, ip := range ips {
		if !PublicAddr(ip) {
			return nil, &blockedError{ip}
		}
	}
	var firstErr error
	for _, ip := range ips {
		c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		firstErr = cmpErr(firstErr, err)
	}
	if firstErr == nil {
		firstErr = errors.New("no addresses")
	}
	return nil, firstErr
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
