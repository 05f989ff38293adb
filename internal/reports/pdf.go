package reports

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"termtem/internal/errs"
)

// Printer turns a report's HTML into PDF with headless Chromium's
// print-to-PDF: pure-Go PDF libraries do not stack Thai vowel and tone
// marks, Chromium with Debian's fonts-thai-tlwg does.
type Printer struct {
	// ExecPath is the Chromium binary (TERMTEM_CHROMIUM; Debian's package
	// chromium installs /usr/bin/chromium).
	ExecPath string
	// slots bounds how many Chromiums print at once (each is a few hundred
	// MB; a committee report is not a burst).
	slots chan struct{}
}

// NewPrinter makes a printer for the Chromium at execPath.
func NewPrinter(execPath string) *Printer {
	return &Printer{ExecPath: execPath, slots: make(chan struct{}, 2)}
}

// Available reports whether the Chromium binary is there; without it the
// PDF is refused with a message saying so, the HTML report still works.
func (p *Printer) Available() error {
	if p == nil || p.ExecPath == "" {
		return &errs.Error{Code: errs.Unavailable, MessageID: "mapreport.pdf_unavailable", Data: map[string]any{"Path": ""}}
	}
	if _, err := os.Stat(p.ExecPath); err != nil {
		return &errs.Error{Code: errs.Unavailable, MessageID: "mapreport.pdf_unavailable", Data: map[string]any{"Path": p.ExecPath}, Err: err}
	}
	return nil
}

// PDF prints html (a whole document with its styles inline: it is loaded
// into a blank page, so it can reach nothing else) on A4.
func (p *Printer) PDF(ctx context.Context, html string) ([]byte, error) {
	if err := p.Available(); err != nil {
		return nil, err
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return nil, errs.Wrap(errs.Unavailable, "mapreport.pdf_failed", ctx.Err())
	}
	profile, err := os.MkdirTemp("", "termtem-print-")
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "mapreport.pdf_failed", err)
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.ExecPath),
		chromedp.NoSandbox, // the server may run as root in a container
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		// Without these Chromium keeps trying to reach the internet.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	// The browser lives as long as this context: a minute at most.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(bctx, opts...)
	defer cancelAlloc()
	tctx, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	load := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html})
		return err
	})
	if err := chromedp.Do(tctx, chromedp.Navigate("about:blank"), load); err != nil {
		return nil, errs.Wrap(errs.Unavailable, "mapreport.pdf_failed", fmt.Errorf("chromium: %w", err))
	}
	// The Thai fonts are system fonts; wait until the page has them.
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, errs.Wrap(errs.Unavailable, "mapreport.pdf_failed", fmt.Errorf("chromium fonts: %w", err))
	}
	pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground(),
		chromedp.PDFPreferCSSPageSize(), chromedp.PDFOutlineAndTagged()))
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "mapreport.pdf_failed", fmt.Errorf("chromium print: %w", err))
	}
	return pdf, nil
}
