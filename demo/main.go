// A long-running simulated Go service for the docker-compose stack. It does the same work as the
// fixture generator (/work/shared/fixtures/go-checkout/generator): build an order, price it,
// JSON-encode and decode it, sort it, hash it. Instead of fixed phases it runs forever with:
//
//   - an allocation incident on a timer: orders 10x larger for INCIDENT_FOR every INCIDENT_EVERY;
//   - a slow leak: a cache that is never evicted grows by one order every LEAK_EVERY orders.
//
// GODEBUG=gctrace=1 makes the runtime print one line per GC cycle to stderr; net/http/pprof serves
// the profiles Alloy scrapes. Every sample carries the pprof labels service_name and endpoint.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/* on http.DefaultServeMux
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type Item struct {
	SKU      string            `json:"sku"`
	Name     string            `json:"name"`
	Price    float64           `json:"price"`
	Quantity int               `json:"quantity"`
	Tags     []string          `json:"tags"`
	Attrs    map[string]string `json:"attrs"`
}

type Order struct {
	ID       string  `json:"id"`
	Customer string  `json:"customer"`
	Items    []Item  `json:"items"`
	Total    float64 `json:"total"`
}

type config struct {
	service        string
	addr           string
	workers        int
	ordersPerSec   int
	incidentEvery  time.Duration
	incidentFor    time.Duration
	incidentOffset time.Duration
	leakEvery      int
	leakMaxBytes   int
}

var skuRe = regexp.MustCompile(`^SKU-([0-9]+)-([A-Z]+)$`)

// leak is the never-evicted cache. It stops growing at leakMaxBytes so a forgotten stack cannot
// exhaust the host, but it never gives memory back.
type leak struct {
	mu       sync.Mutex
	entries  map[string][]byte
	bytes    int
	maxBytes int
}

func (l *leak) add(id string, b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bytes+len(b) > l.maxBytes {
		return
	}
	l.entries[id] = append([]byte(nil), b...)
	l.bytes += len(b)
}

func makeOrder(i, n int) Order {
	o := Order{ID: fmt.Sprintf("order-%d", i), Customer: fmt.Sprintf("cust-%d", i%97)}
	for j := 0; j < n; j++ {
		it := Item{SKU: fmt.Sprintf("SKU-%d-%s", j, strings.Repeat("X", j%5+1)), Name: "widget", Price: float64(j) * 1.5, Quantity: j%3 + 1,
			Tags: []string{"a", "b", "c"}, Attrs: map[string]string{"color": "red", "size": "m"}}
		o.Items = append(o.Items, it)
	}
	return o
}

func priceOrder(o *Order) {
	total := 0.0
	for _, it := range o.Items {
		if skuRe.MatchString(it.SKU) {
			total += it.Price * float64(it.Quantity)
		}
	}
	o.Total = total
}

func encodeOrder(o *Order) []byte {
	b, _ := json.Marshal(o)
	return b
}

func decodeOrder(b []byte) Order {
	var o Order
	_ = json.Unmarshal(b, &o)
	return o
}

func hashPayload(b []byte) [32]byte {
	var h [32]byte
	for k := 0; k < 4; k++ {
		h = sha256.Sum256(append(b, h[:]...))
	}
	return h
}

func sortItems(o *Order) {
	sort.Slice(o.Items, func(a, b int) bool { return o.Items[a].SKU < o.Items[b].SKU })
}

type service struct {
	cfg    config
	heavy  atomic.Bool
	orders atomic.Int64
	cache  *leak
}

func (s *service) handleCheckout(i int64) [32]byte {
	n := 20
	if s.heavy.Load() {
		n = 200
	}
	o := makeOrder(int(i), n)
	priceOrder(&o)
	b := encodeOrder(&o)
	o2 := decodeOrder(b)
	sortItems(&o2)
	h := hashPayload(b)
	if i%int64(s.cfg.leakEvery) == 0 {
		s.cache.add(o.ID, b)
	}
	return h
}

func handleHealth(i int64) string {
	return fmt.Sprintf("ok %d", i)
}

// checkout and health run the handlers under the endpoint label, so CPU and goroutine samples
// can be grouped by endpoint (the service_name label is inherited from the goroutine).
func (s *service) checkout(ctx context.Context) (h [32]byte) {
	i := s.orders.Add(1)
	pprof.Do(ctx, pprof.Labels("endpoint", "/checkout"), func(context.Context) { h = s.handleCheckout(i) })
	return h
}

func (s *service) health(ctx context.Context) (r string) {
	i := s.orders.Load()
	pprof.Do(ctx, pprof.Labels("endpoint", "/health"), func(context.Context) { r = handleHealth(i) })
	return r
}

// worker is the simulated client traffic: one order per tick, a health check every fifth.
func (s *service) worker(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	t := time.NewTicker(time.Duration(s.cfg.workers) * time.Second / time.Duration(s.cfg.ordersPerSec))
	defer t.Stop()
	for k := 0; ; k++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.checkout(ctx)
		if k%5 == 0 {
			s.health(ctx)
		}
	}
}

// incidents flips the heavy flag on a fixed schedule and writes a marker line to stderr (next to
// the gctrace lines) when an incident starts and ends.
func (s *service) incidents(ctx context.Context) {
	wait := s.cfg.incidentOffset
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		s.heavy.Store(true)
		fmt.Fprintf(os.Stderr, "# incident_start unix_nano=%d service=%s\n", time.Now().UnixNano(), s.cfg.service)
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.cfg.incidentFor):
		}
		s.heavy.Store(false)
		fmt.Fprintf(os.Stderr, "# incident_end unix_nano=%d service=%s\n", time.Now().UnixNano(), s.cfg.service)
		wait = s.cfg.incidentEvery - s.cfg.incidentFor
	}
}

func (s *service) routes(ctx context.Context) {
	http.HandleFunc("/checkout", func(w http.ResponseWriter, r *http.Request) {
		h := s.checkout(ctx)
		fmt.Fprintf(w, "%x\n", h[:8])
	})
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, s.health(ctx))
	})
	// POST /incident starts an incident now (it ends on its own after INCIDENT_FOR).
	http.HandleFunc("/incident", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if !s.heavy.CompareAndSwap(false, true) {
			fmt.Fprintln(w, "incident already running")
			return
		}
		fmt.Fprintf(os.Stderr, "# incident_start unix_nano=%d service=%s manual\n", time.Now().UnixNano(), s.cfg.service)
		time.AfterFunc(s.cfg.incidentFor, func() {
			s.heavy.Store(false)
			fmt.Fprintf(os.Stderr, "# incident_end unix_nano=%d service=%s manual\n", time.Now().UnixNano(), s.cfg.service)
		})
		fmt.Fprintf(w, "incident started for %s\n", s.cfg.incidentFor)
	})
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def, min int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min {
		return 0, fmt.Errorf("%s=%q: want an integer >= %d", name, v, min)
	}
	return n, nil
}

func envDuration(name string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s=%q: want a duration such as 5m or 60s", name, v)
	}
	return d, nil
}

func loadConfig() (config, error) {
	c := config{service: envString("SERVICE_NAME", "checkout"), addr: envString("LISTEN_ADDR", ":6060")}
	var err error
	if c.workers, err = envInt("WORKERS", 2, 1); err != nil {
		return c, err
	}
	if c.ordersPerSec, err = envInt("ORDERS_PER_SECOND", 200, 1); err != nil {
		return c, err
	}
	if c.leakEvery, err = envInt("LEAK_EVERY", 50, 1); err != nil {
		return c, err
	}
	if c.leakMaxBytes, err = envInt("LEAK_MAX_BYTES", 256<<20, 0); err != nil {
		return c, err
	}
	if c.incidentEvery, err = envDuration("INCIDENT_EVERY", 5*time.Minute); err != nil {
		return c, err
	}
	if c.incidentFor, err = envDuration("INCIDENT_FOR", 60*time.Second); err != nil {
		return c, err
	}
	if c.incidentOffset, err = envDuration("INCIDENT_OFFSET", 2*time.Minute); err != nil {
		return c, err
	}
	if c.incidentFor >= c.incidentEvery {
		return c, errors.New("INCIDENT_FOR must be shorter than INCIDENT_EVERY")
	}
	if c.ordersPerSec < c.workers {
		return c, errors.New("ORDERS_PER_SECOND must be at least WORKERS")
	}
	return c, nil
}

func main() {
	cfg, err := loadConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(2)
	}
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10000)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Goroutines started after this inherit the label, so every sample carries service_name.
	ctx = pprof.WithLabels(ctx, pprof.Labels("service_name", cfg.service))
	pprof.SetGoroutineLabels(ctx)

	s := &service{cfg: cfg, cache: &leak{entries: map[string][]byte{}, maxBytes: cfg.leakMaxBytes}}
	fmt.Fprintf(os.Stderr, "# start_unix_nano=%d service=%s\n", time.Now().UnixNano(), cfg.service)

	var wg sync.WaitGroup
	for w := 0; w < cfg.workers; w++ {
		wg.Add(1)
		go s.worker(ctx, &wg)
	}
	go s.incidents(ctx)
	s.routes(ctx)

	srv := &http.Server{Addr: cfg.addr, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "http:", err)
		os.Exit(1)
	}
	wg.Wait()
}
