def navigation(request):
    """Primary navigation: published top-level pages, then the app sections."""
    items = [
        ("Reports", "/reports/"),
        ("Events", "/events/"),
        ("Celebrate Babies Week", "/celebrate-babies-week/"),
    ]
    path = request.path
    return {
        "nav_items": [
            {"title": title, "url": url, "current": path == url, "active": path.startswith(url)}
            for title, url in items
        ]
    }
