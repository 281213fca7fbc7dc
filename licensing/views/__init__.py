"""The applicant portal and the counter, one module per area. Views parse input, call one
service or selector, and render; errors a person can act on come back as messages."""
