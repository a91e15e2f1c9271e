"""The brain's local HTTP API (127.0.0.1:8702, bearer token): strategy conversations,
confirmations, transcripts and status. `requests` validates bodies (nothing is stored or
called for bad input), `auth` checks the token, `server` maps outcomes to responses."""
