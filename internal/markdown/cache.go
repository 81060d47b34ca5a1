package markdown

import (
	"container/list"
	"html/template"
	"sync"
)

// The same texts are rendered again and again (a défi's problem and framing on every view
// of its page), and rendering then sanitising is a sizeable share of a page's CPU. A small
// LRU cache, bounded in bytes, keeps the latest renderings; the output depends only on
// the source, so a cached entry is never stale.
const cacheMaxBytes = 8 << 20

type cacheEntry struct {
	src  string
	html template.HTML
}

type lru struct {
	mu    sync.Mutex
	items map[string]*list.Element
	order *list.List // front: most recently used
	bytes int
	max   int
}

func newLRU(maxBytes int) *lru {
	return &lru{items: map[string]*list.Element{}, order: list.New(), max: maxBytes}
}

func (c *lru) get(src string) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[src]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cacheEntry).html, true
	}
	return "", false
}

func (c *lru) put(src string, html template.HTML) {
	size := len(src) + len(html)
	if size > c.max/16 {
		return // a huge text would evict everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[src]; ok {
		return
	}
	c.items[src] = c.order.PushFront(&cacheEntry{src: src, html: html})
	c.bytes += size
	for c.bytes > c.max {
		el := c.order.Back()
		e := el.Value.(*cacheEntry)
		c.order.Remove(el)
		delete(c.items, e.src)
		c.bytes -= len(e.src) + len(e.html)
	}
}

var cache = newLRU(cacheMaxBytes)
