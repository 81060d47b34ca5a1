// Package web holds what the browser receives: the templ layouts, components and pages,
// and the static assets, embedded in the binary and served under content-hashed names so
// they can be cached for a year.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded file with its hashed public name.
type asset struct {
	body        []byte
	contentType string
}

var (
	hashedName = map[string]string{} // "app.css" → "app.1a2b3c4d5e.css"
	byHashed   = map[string]asset{}  // "app.1a2b3c4d5e.css" → the file
)

func init() {
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err) // the embed is fixed at build time: this cannot fail at run time
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		hashedName[e.Name()] = hashed
		byHashed[hashed] = asset{body: body, contentType: contentType(ext)}
	}
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}

// Asset returns the public URL of the static file name, with its content hash.
func Asset(name string) string {
	if h, ok := hashedName[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

// StaticHandler serves the hashed static files with a year-long immutable cache.
func StaticHandler() http.Handler {
	modTime := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := byHashed[path.Base(r.URL.Path)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.contentType)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeContent(w, r, "", modTime, strings.NewReader(string(a.body)))
	})
}
