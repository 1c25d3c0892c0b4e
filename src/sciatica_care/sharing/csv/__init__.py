"""Spreadsheet-safe CSV export and the strict, all-or-nothing import."""
