"""The vendor reports: their content and the files they are exported to (PDF, XLSX, CSV)."""
