"""The ASN roster: the real civil servants of each region, the gate for ASN sign-up where loaded."""
