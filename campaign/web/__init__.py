"""HTTP glue: routing, base forms, request inputs, pagination, error pages, assets, compression,
security headers, rate limits, the anonymous page cache and the change markers behind it.

It knows requests and responses, never a domain's rules; a domain registers what it needs
(watched models for the change markers, for example) through the small functions here.
"""
