"""FHIR R4: a client's records and plan as a Bundle, and a Bundle read back."""
