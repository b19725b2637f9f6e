"""The PDF writer's own layout engine: GB/T 15834/clreq line breaking on the GB/T 9704
character grid, pagination on 22-line pages, and drawing with reportlab's canvas text API
(never Paragraph markup, so '<b>' and '&' in a report print as themselves)."""
