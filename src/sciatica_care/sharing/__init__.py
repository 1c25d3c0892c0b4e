"""Formats that leave the app: FHIR R4, calendars, CSV and the doctor's report."""
