package markdown

import (
	"fmt"
	"strings"
	"testing"
)

func TestRenderCached(t *testing.T) {
	src := "# Titre\\n\\n**gras** <script>alert(1)</script>"
	first := Render(src)
	if got := Render(src); got != first {
		t.Fatalf("second render: got %q, want %q", got, first)
	}
	if got, ok := cache.get(src); !ok || got != first {
		t.Errorf("cache: got %q, %v; want the rendering", got, ok)
	}
	if got := render(src); got != first {
		t.Errorf("cached %q differs from a fresh rendering %q", first, got)
	}
}

func TestLRUBounded(t *testing.T) {
	c := newLRU(1000)
	for i := 0; i < 100; i++ {
		c.put(fmt.Sprintf("src-%03d", i), "<p>rendu</p>")
	}
	if c.bytes > 1000 {
		t.Errorf("got %d bytes, want at most 1000", c.bytes)
	}
	if _, ok := c.get("src-000"); ok {
		t.Errorf("the oldest entry is still cached")
	}
	if _, ok := c.get("src-099"); !ok {
		t.Errorf("the newest entry is not cached")
	}
	c.put(strings.Repeat("x", 500), "<p>x</p>") // over max/16: not cached
	if _, ok := c.get(strings.Repeat("x", 500)); ok {
		t.Errorf("a huge entry was cached")
	}
	if len(c.items) != c.order.Len() {
		t.Errorf("map has %d items, list %d", len(c.items), c.order.Len())
	}
}
