"""The two S3 storages (django-storages) of a site that keeps its uploads in a bucket.

Public uploads (pictures, toolkits) go to a bucket anyone may read; report PDFs and covers to
a bucket only the app may read, handed out by views that check publication. Used by the
settings module and by the tests that run against a real S3 server.
"""

from botocore.config import Config


def s3_storages(*, public_bucket, private_bucket, endpoint_url, region_name, custom_domain):
    common = {
        "endpoint_url": endpoint_url,
        "region_name": region_name,
        "default_acl": None,  # the buckets' own policies decide who may read
        "file_overwrite": False,
        # Fail in seconds, not minutes, when the storage is down (the view answers 503).
        "client_config": Config(
            connect_timeout=2, read_timeout=10, retries={"max_attempts": 2, "mode": "standard"}
        ),
    }
    public = {
        **common,
        "bucket_name": public_bucket,
        "custom_domain": custom_domain,
        "querystring_auth": False,
        # Never rendered as a page from the bucket's domain: browsers download them
        # (pictures still display in <img>).
        "object_parameters": {
            "CacheControl": "public, max-age=86400",
            "ContentDisposition": "attachment",
        },
    }
    private = {**common, "bucket_name": private_bucket}
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": public},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private},
    }


def media_origin(*, public_bucket, endpoint_url, custom_domain) -> str:
    """Where browsers fetch public uploads from (the Content-Security-Policy allows it)."""
    if custom_domain:
        return f"https://{custom_domain}"
    if endpoint_url:
        return endpoint_url.rstrip("/")
    return f"https://{public_bucket}.s3.amazonaws.com"
