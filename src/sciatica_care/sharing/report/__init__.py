"""The report for the doctor: its facts and its PDF."""
