package demo

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a progress bar for a long generation: redrawn in place on
// a terminal at most five times a second, or one line every twentieth of
// the way when the output is a file or a log.
type progress struct {
	out         io.Writer
	what        string
	total       int
	start, last time.Time
	tty         bool
	nextLine    int
}

func newProgress(out io.Writer, what string, total int) *progress {
	p := &progress{out: out, what: what, total: max(total, 1), start: time.Now()}
	if f, ok := out.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	p.nextLine = p.total / 20
	return p
}

// update shows done of total, with a note of what has been made.
func (p *progress) update(done int, note string) {
	if p.out == nil {
		return
	}
	now := time.Now()
	switch {
	case p.tty && now.Sub(p.last) < 200*time.Millisecond && done < p.total:
		return
	case !p.tty && done < p.nextLine:
		return
	}
	p.last = now
	for p.nextLine <= done {
		p.nextLine += max(p.total/20, 1)
	}
	el := now.Sub(p.start)
	rate := float64(done) / max(el.Seconds(), 1e-9)
	eta := "?"
	if rate > 0 && done < p.total {
		eta = time.Duration(float64(p.total-done) / rate * float64(time.Second)).Round(time.Second).String()
	} else if done >= p.total {
		eta = "0s"
	}
	const width = 30
	filled := min(width*done/p.total, width)
	line := fmt.Sprintf("%s [%s%s] %3d%% %d/%d people, %.0f/s, %s, ETA %s; %s", p.what, strings.Repeat("#", filled),
		strings.Repeat(".", width-filled), min(100*done/p.total, 100), done, p.total, rate, el.Round(time.Second), eta, note)
	if p.tty {
		fmt.Fprintf(p.out, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(p.out, line)
	}
}

// done ends the bar's line on a terminal.
func (p *progress) done(n int) {
	if p.out != nil && p.tty {
		p.update(n, "")
		fmt.Fprintln(p.out)
	}
}
