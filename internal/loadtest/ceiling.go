package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Page is the answer of a page, as the ceiling serves it again.
type Page struct {
	Status      int
	ContentType string
	Body        []byte
}

// Fetch gets rawURL once with client and returns its answer, body read whole.
func Fetch(ctx context.Context, client *http.Client, rawURL string) (Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return Page{}, fmt.Errorf("loadtest: fetch %s: %w", rawURL, err)
	}
	if err := CheckLocal(req.URL); err != nil {
		return Page{}, err
	}
	res, err := client.Do(req)
	if err != nil {
		return Page{}, fmt.Errorf("loadtest: fetch %s: %w", rawURL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return Page{}, fmt.Errorf("loadtest: fetch %s: %w", rawURL, err)
	}
	return Page{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), Body: body}, nil
}

// Ceiling is a bare net/http server answering each known path (with its query) with the
// very bytes of a page, from memory: what Go's HTTP stack alone reaches on this machine,
// the upper bound of any page it serves.
type Ceiling struct {
	pages map[string]Page
	ln    net.Listener
	srv   *http.Server
	done  chan error
}

// StartCeiling serves pages, keyed by request URI ("/defis?q=outil"), on 127.0.0.1 at a
// free port until Close. Unknown paths answer 404.
func StartCeiling(pages map[string]Page) (*Ceiling, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("loadtest: ceiling listen: %w", err)
	}
	c := &Ceiling{pages: make(map[string]Page, len(pages)), ln: ln, done: make(chan error, 1)}
	for k, p := range pages {
		if p.Status == 0 {
			p.Status = http.StatusOK
		}
		c.pages[k] = p
	}
	c.srv = &http.Server{Handler: c, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() { c.done <- c.srv.Serve(ln) }()
	return c, nil
}

// ServeHTTP implements http.Handler.
func (c *Ceiling) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := c.pages[r.URL.RequestURI()]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if p.ContentType != "" {
		h.Set("Content-Type", p.ContentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(p.Body)))
	w.WriteHeader(p.Status)
	_, _ = w.Write(p.Body)
}

// URL is the base URL of the server ("http://127.0.0.1:port").
func (c *Ceiling) URL() string { return "http://" + c.ln.Addr().String() }

// Close stops the server and waits for it.
func (c *Ceiling) Close() error {
	err := c.srv.Close()
	if serr := <-c.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
