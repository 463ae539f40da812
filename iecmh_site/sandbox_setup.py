"""Imported only by the sandbox's forkserver (iecmh_site/sandbox.py): sets Django up once,
so that every job's process, forked from it, can use the project's modules at once."""

import django

django.setup()
