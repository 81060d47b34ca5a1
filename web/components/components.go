package components

import (
	"net/url"
	"strconv"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// NewPager is the state of page (1-based) of a list of total items shown perPage at a
// time; baseURL is the list's URL with its other query parameters, ending in "?" or "&".
func NewPager(page, perPage, total int, baseURL string) Pager {
	return Pager{Page: page, Pages: max(1, (total+perPage-1)/perPage), Total: total, BaseURL: baseURL}
}
