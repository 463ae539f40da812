"""gunicorn settings, shared by the Docker image, the smoke test, the benchmark and the
scale-out test. Everything a deployment varies comes from the environment."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads: a client sending its request slowly holds one thread, not a whole worker.
# Production still sits behind a buffering proxy (README, "Deployment"). Two, not four: the
# work is mostly Python, which one worker runs one thread at a time, and each thread rendering
# a page at once adds its memory to the worker's peak (README, "Benchmark").
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
# The app alone decides which forwarded headers to believe (PROXY_COUNT), so gunicorn
# trusts none: a client cannot make itself https or another address.
forwarded_allow_ips = ""
# The app logs each request with the client address the proxies vouch for.
accesslog = None
# Two instances on one machine would share the default control socket.
control_socket_disable = True
