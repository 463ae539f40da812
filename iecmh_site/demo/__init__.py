"""Demo content that makes the site look real on first start (loaded by seed_demo).

Each module's seed(stdout) creates only what is missing, so running it again never
duplicates anything nor overwrites a staff member's edits.
"""
