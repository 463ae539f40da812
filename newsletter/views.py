"""Views of the newsletter app."""
