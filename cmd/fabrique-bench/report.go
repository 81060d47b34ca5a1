package main

import (
	"fmt"
	"strings"
	"time"
)

// report is the results as a Markdown table (printed) and the whole docs/bench.md.
type report struct {
	table, doc string
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func mb(b uint64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }

// verdict words whether a figure meets its target.
func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

func cacheTTL(o *options) string {
	if o.pageCache <= 0 {
		return "off"
	}
	return "TTL " + o.pageCache.String()
}

func render(o *options, m machine, seeding seedInfo, rows []*result) report {
	var t strings.Builder
	t.WriteString("| scenario | req/s | ceiling req/s | share of ceiling (≥ 25 %) | p50 | p95 | p99 (≤ 20 ms) | errors | queries/req | peak RSS (≤ 150 MB) | peak Go heap |\n")
	t.WriteString("| --- | ---: | ---: | --- | ---: | ---: | --- | --- | ---: | --- | ---: |\n")
	var notes []string
	for _, r := range rows {
		if r.skipped != "" {
			fmt.Fprintf(&t, "| %s | — | — | — | — | — | — | %s | — | — | — |\n", r.label, r.skipped)
			continue
		}
		a := r.app
		p50, p95, p99 := ms(a.Latency.Quantile(0.5)), ms(a.Latency.Quantile(0.95)), ms(a.Latency.Quantile(0.99))
		queries := fmt.Sprintf("%.1f", r.queries)
		answered := a.Requests > 0
		if !answered { // every request took longer than the measured time: no figure to show
			p50, p95, p99, queries = "> "+o.duration.String(), "> "+o.duration.String(), "> "+o.duration.String(), "—"
			notes = append(notes, fmt.Sprintf("- %s: no request completed within the %s measured (one in flight when the time is up is not counted).",
				r.label, o.duration))
		}
		ceiling, shareCell := "—", "—"
		if r.fresh { // no target: the cost of a session not kept, for comparison
			ceiling = fmt.Sprintf("%.0f", r.ceiling.RPS())
			shareCell = fmt.Sprintf("%.0f %% (no target)", 100*share(r))
		} else if r.read {
			ceiling = fmt.Sprintf("%.0f", r.ceiling.RPS())
			shareCell = fmt.Sprintf("%.0f %% %s", 100*share(r), verdict(share(r) >= targetCeilingShare))
			p99 += " " + verdict(answered && a.Latency.Quantile(0.99) <= targetP99)
		} else {
			p99 += " " + verdict(answered && a.Latency.Quantile(0.99) <= targetWriteP99) + " (≤ 50 ms)"
		}
		fmt.Fprintf(&t, "| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s %s | %s |\n",
			r.label, a.RPS(), ceiling, shareCell, p50, p95, p99,
			a.ErrorSummary(), queries, mb(r.mem.RSS), verdict(r.mem.RSS <= targetMemory), mb(r.mem.Heap))
		if r.note != "" {
			notes = append(notes, fmt.Sprintf("- %s: %s.", r.label, r.note))
		}
		if a.FirstError != "" {
			notes = append(notes, fmt.Sprintf("- %s: first error without an answer: `%s`.", r.label, a.FirstError))
		}
	}

	var d strings.Builder
	d.WriteString(`# Benchmark

` + "`make bench`" + ` measures the main pages of the platform at the scale of the whole tiers-lieux
movement, and how close they come to what Go's HTTP server alone reaches on the same machine.
This file is written by the last run; rerun it on your machine to compare.

## How it runs

1. **Data**: a database ` + "`" + o.dbName + "`" + ` on the server of ` + "`DATABASE_URL`" + ` (the one ` + "`scripts/db.sh`" + ` prints) is created,
   migrated and loaded by ` + "`fabrique seed bench --challenges N`" + ` (` + "`BENCH_CHALLENGES`" + `, 10 000 by default),
   unless it already holds that many défis of seed bench, loaded by the same version of the
   generator (` + "`benchdata.DataVersion`" + `). The data is synthetic but follows
   every rule of the platform: N défis in every status with their teams (2–8), timelines and
   framings; about N/2 accounts; tiers-lieux in every region (N/3, at most 3 500); about 20
   contributions per défi within the budgets that pay them; yearly seed funds and seed grants;
   N/20 communs with their steps; 5 to 10 calls with pledges from hundreds of funders and their
   matching; every movement in the ledger, which sums to zero; the notifications each decision
   on a contribution and each payment sent its author, read but for the last fortnight's.
   Same N, same data.
2. **App**: the platform runs in the benchmark's own process (` + "`internal/app`" + `, on 127.0.0.1), with a
   pgx tracer counting the queries it sends.
3. **Load**: ` + "`internal/loadtest`" + ` opens ` + fmt.Sprint(o.conns) + ` keep-alive connections and sends requests back to back for
   ` + o.duration.String() + ` per scenario after ` + o.warmup.String() + ` of warm-up: throughput, latency percentiles (a log-linear histogram,
   within 1 %), errors by status (anything but 2xx/3xx), queries per request, and the peak memory
   of the process (RSS, and the Go heap) while the scenario runs.
4. **Page cache**: the app runs as ` + "`fabrique serve`" + ` does, with its page cache (` + "`PAGE_CACHE_TTL`" + `, ` + cacheTTL(o) + ` here):
   a visitor without a session gets a public page kept in memory for at most that long, and
   dropped as soon as anything changes in the database. Each read page is therefore measured
   twice: as visitors get it, and *built each time* — requests saying ` + "`Cache-Control: no-cache`" + `,
   which the cache lets through — which is what a page nobody asked for in the last seconds, a
   logged-in person's page, or any page just after a write, costs. Then a third time, *as a
   logged-in member* of the défi driven (their session cookie on every request): never from the
   page cache, their name and rights on the page; the instance keeps what it read with their
   session until anything changes. Then a fourth time, *session read each time* (` + "`Cache-Control: no-cache`" + `,
   which a hard reload sends, makes the instance read the session from PostgreSQL): what their first
   page after a change costs — no target, for comparison. ` + "`/espace`" + ` is driven as that member and
   ` + "`/coordination`" + ` as a coordinator only, each against the ceiling of the bytes that person got — and so is every page measured as a member.
   The data cache (a search's ranked ids, the coordination's queues), which follows the page
   cache's generation, serves all three.
   ` + "`-page-cache 0`" + ` turns the caches off (one measure per page, and the member's). Each page
   measured as a logged-in person is then asked by one connection alone, one request after
   the other, for ` + o.alone.String() + ` (` + "`-alone`" + `): what a person waits for when the platform is not busy.
   The searches are a common word (` + "`outil`" + `, in thousands of défis) and the rarest word of
   the défis' text held by at least five.
5. **Ceiling**: each read page is fetched once, and its very bytes are served from memory by a
   bare ` + "`net/http`" + ` server, driven with the same generator and settings, half of its time just before
   the app's measures of that page and half just after (both halves are printed): on a virtual
   machine whose speed drifts with its host's load, the app and its ceiling are so measured, on
   average, at the same moment. The share of the ceiling is the page's throughput divided by the
   ceiling's: a figure that holds from one machine to another.
6. **Writes**: team members, each logged in on their own connection, log half a day on their défi
   (` + "`POST /defis/{slug}/contributions`" + `); funders pledge 25 € to a step (` + "`POST /etapes/{id}/promesses`" + `, a fresh
   ` + "`idempotency_key`" + ` each time). Every rule of the money holds under that concurrency. The rows
   written are deleted after the run (still declared or promised, they are in no account), so
   that each run reads the same data; ` + "`BENCH_FLAGS=-reseed`" + ` loads the database again.

Targets (issues 6 and 16), shown next to each figure, not enforced: each read page — as visitors,
built each time and as a logged-in member — at **≥ 25 % of its ceiling** and **p99 ≤ 20 ms** at 32
connections on 10 000 défis; the process **≤ 150 MB** under load.
The generator runs in the same process and on the same cores as the app, for the app and for the
ceiling alike; its own memory (about 1 MB of histograms and buffers) is in the RSS.

Options: ` + "`make bench BENCH_CHALLENGES=500 BENCH_FLAGS='-duration 3s -only home,defi -profile /tmp/prof'`" + `
(` + "`go run ./cmd/fabrique-bench -h`" + ` lists them; ` + "`-profile`" + ` writes a CPU and a heap profile per scenario).

## Last run

`)
	fmt.Fprintf(&d, "- Date: %s\n", m.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&d, "- Machine: `%s`\n", m.Uname)
	fmt.Fprintf(&d, "- CPU: %s, %d cores (GOMAXPROCS %d), %s of memory; load average at the start: %s\n", m.CPU, m.Cores, m.Procs, m.Memory, m.Load)
	fmt.Fprintf(&d, "- Go: %s; PostgreSQL: %s\n", m.Go, m.Postgres)
	fmt.Fprintf(&d, "- Data: %d défis", seeding.Challenges)
	fmt.Fprintf(&d, ", %d contributions, %d ledger movements", seeding.Contributions, seeding.Movements)
	if seeding.Loaded {
		fmt.Fprintf(&d, "; created, migrated and loaded by this run in %s", seeding.Elapsed.Round(100*time.Millisecond))
	} else {
		d.WriteString(" (loaded by an earlier run")
		if seeding.Comment != "" {
			d.WriteString(": `" + seeding.Comment + "`")
		}
		d.WriteString(")")
	}
	d.WriteString("\n")
	fmt.Fprintf(&d, "- Load: %d connections, %s per scenario after %s of warm-up; app pool of %d PostgreSQL connections; page cache %s\n\n",
		o.conns, o.duration, o.warmup, m.Pool, cacheTTL(o))
	d.WriteString(t.String())
	fmt.Fprintf(&d, "\nPeak RSS of the process over the whole run, the %d logins of the writes (argon2id) included: %s.\n",
		2*o.conns, mb(m.PeakRSS))
	var alone strings.Builder
	for _, r := range rows {
		if r.alone != nil && r.alone.Requests > 0 {
			fmt.Fprintf(&alone, "| %s | %.0f | %s %s | %s |\n", r.label, r.alone.RPS(),
				ms(r.alone.Latency.Quantile(0.5)), verdict(r.alone.Latency.Quantile(0.5) <= targetAloneP50), ms(r.alone.Latency.Quantile(0.99)))
		}
	}
	if alone.Len() > 0 {
		fmt.Fprintf(&d, "\nEach logged-in page asked by one connection alone, one request after the other (%s):\n\n", o.alone)
		d.WriteString("| page | req/s | p50 (≤ 3 ms) | p99 |\n| --- | ---: | --- | ---: |\n")
		d.WriteString(alone.String())
	}
	d.WriteString("\nPages driven:\n\n")
	for _, r := range rows {
		if r.read {
			size := ""
			if r.bytes > 0 {
				size = fmt.Sprintf(" (%.1f kB)", float64(r.bytes)/1000)
			}
			fmt.Fprintf(&d, "- %s: `%s`%s\n", r.label, r.path, size)
		}
	}
	if len(notes) > 0 {
		d.WriteString("\nNotes:\n\n" + strings.Join(notes, "\n") + "\n")
	}
	d.WriteString("\nWhat each change to the speed bought, measured before and after, is in [speed.md](speed.md).\n")
	return report{table: t.String(), doc: d.String()}
}
