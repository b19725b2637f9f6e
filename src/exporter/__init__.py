"""exporter: one report source -> GB/T 9704-2012 .docx, print-ready PDF, indicator workbook."""

__version__ = "0.1.0"
