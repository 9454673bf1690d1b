"""The coordinator's view of people in one region: ASN who pledged and have not bought yet, the
region against the province and against last week, spend by kecamatan, and a purchase-level
Excel file without NIP. Coordinator-only: it names people (name and agency only)."""
