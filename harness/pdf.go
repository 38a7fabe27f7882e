package harness

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Papers are the paper sizes PrintPDF takes, by the names the command
// line uses.
var Papers = map[string]chromedp.PaperSize{"a4": chromedp.PaperA4, "letter": chromedp.PaperLetter}

// pdfFooter numbers the pages; the browser renders it apart from the
// document, so it carries its own style.
const pdfFooter = `<div style="font: 8px system-ui, sans-serif; color: #59636e; width: 100%; text-align: center;">` +
	`<span class="title"></span> · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`

// PrintPDF prints the HTML document html to PDF on paper of the given
// size, in a browser started (or attached to) for it with opts and closed
// before it returns. The document is set into a blank tab whose scripts
// are off: it is printed as it is, and a local file is not needed (a
// remote browser has none of ours).
func PrintPDF(ctx context.Context, opts BrowserOptions, html []byte, paper chromedp.PaperSize) ([]byte, error) {
	b, err := StartBrowser(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	tab, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	// The tab hangs off the browser's context: it must end with ctx too.
	defer context.AfterFunc(ctx, cancel)()
	err = chromedp.Do(tab,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			_, err = chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(html)})
			return err
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("loading the document: %w", ctxErr(ctx, err))
	}
	pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(
		chromedp.PDFPaper(paper),
		chromedp.PDFPrintBackground(),
		chromedp.PDFMargins(0.5, 0.45, 0.6, 0.45),
		chromedp.PDFHeaderTemplate(`<span></span>`),
		chromedp.PDFFooterTemplate(pdfFooter),
		chromedp.PDFOutlineAndTagged(),
		// The file comes in pieces: one message for a long report's PDF
		// would be large.
		chromedp.PDFStream(),
	))
	if err != nil {
		return nil, fmt.Errorf("printing: %w", ctxErr(ctx, err))
	}
	return pdf, nil
}

// ctxErr prefers ctx's error (a timeout, an interrupt) to the driver's
// account of it.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
