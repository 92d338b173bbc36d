"""What people read: plain-text views, the live progress line, and exports (CSV, XLSX, a printable HTML report)."""
