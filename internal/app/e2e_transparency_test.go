package app_test

import (
	"fmt"
	"strconv"
	"testing"
)

// checkLedgerReadable fails when an amount of /transparence's balances or movements is
// hidden, cut or off a screen of width px: every amount cell shown, inside the screen and
// inside any box that clips it, and no table scrolling sideways (where a column would
// wait out of sight). Each movement's other cells are in view too.
func checkLedgerReadable(t *testing.T, b *Browser, page string, width int) {
	t.Helper()
	type report struct {
		Amounts   int      `json:"amounts"`
		Movements int      `json:"movements"`
		Problems  []string `json:"problems"`
	}
	r := Eval[report](b, `((w) => {
		const problems = [];
		const name = (el) => {
			const row = el.closest("tr");
			return (el.getAttribute("data-label") || el.tagName.toLowerCase()) + " of «" + (row ? row.innerText.replace(/\s+/g, " ").slice(0, 60) : "") + "»";
		};
		const inView = (el, what) => {
			const s = getComputedStyle(el);
			const r = el.getBoundingClientRect();
			if (s.display === "none" || s.visibility !== "visible" || r.width === 0 || r.height === 0) {
				problems.push(what + " hidden");
				return;
			}
			if (r.left < -0.5 || r.right > w + 0.5) problems.push(what + " off the screen (" + Math.round(r.left) + "–" + Math.round(r.right) + " px)");
			if (el.scrollWidth > el.clientWidth + 1 && s.overflowX !== "visible") problems.push(what + " cut (" + el.scrollWidth + " > " + el.clientWidth + " px)");
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				const ps = getComputedStyle(p);
				if (ps.overflowX === "visible" && ps.overflowY === "visible") continue;
				const pr = p.getBoundingClientRect();
				if (r.left < pr.left - 0.5 || r.right > pr.right + 0.5) problems.push(what + " clipped by its " + p.tagName.toLowerCase() + "." + p.className);
				if (p.scrollWidth > p.clientWidth + 1) problems.push(what + ": its " + p.tagName.toLowerCase() + "." + p.className + " scrolls sideways (" + p.scrollWidth + " > " + p.clientWidth + " px)");
			}
		};
		const amounts = document.querySelectorAll("[data-testid=balances] td.num .amount, [data-testid=movements] td.num .amount");
		for (const a of amounts) {
			if (a.innerText.trim() === "") problems.push("empty amount in " + name(a.closest("td")));
			inView(a, "amount " + a.innerText.trim() + " in " + name(a.closest("td")));
			const cell = a.closest("td");
			if (cell.scrollWidth > cell.clientWidth + 1) problems.push("amount cut in " + name(cell) + " (" + cell.scrollWidth + " > " + cell.clientWidth + " px)");
		}
		const rows = document.querySelectorAll("[data-testid=movements] [data-testid=movement]");
		for (const row of rows) {
			for (const td of row.querySelectorAll("td")) {
				if (td.textContent.trim() === "") continue; // no reference: nothing to read
				inView(td, name(td));
			}
		}
		return {amounts: amounts.length, movements: rows.length, problems: problems.slice(0, 10)};
	})(`+strconv.Itoa(width)+`)`)
	if r.Amounts == 0 || r.Movements == 0 {
		t.Errorf("%s: %d amounts, %d movements: nothing to check", page, r.Amounts, r.Movements)
	}
	if len(r.Problems) > 0 {
		t.Errorf("%s at %d px: %d amounts checked; %s", page, width, r.Amounts, fmt.Sprint(r.Problems))
	}
}
