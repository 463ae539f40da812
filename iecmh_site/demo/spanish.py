"""The demo's Spanish: written on the rows it creates, and filled in on rows made before it.

Only Spanish fields that are still empty are filled, and only they are saved, so a
database seeded before the demo had Spanish gains it without losing any staff edit.
"""

from django.db import models


def spanish(values: dict[str, str]) -> dict[str, str]:
    """``{"title": ...}`` as the Spanish fields' names, ``{"title_es": ...}``."""
    return {f"{name}_es": value for name, value in values.items()}


def spanish_fill(item: models.Model, values: dict[str, str]) -> bool:
    """Set the Spanish fields of ``item`` that are empty; True when it saved any."""
    missing = {field: value for field, value in spanish(values).items() if not getattr(item, field)}
    if not missing:
        return False
    for field, value in missing.items():
        setattr(item, field, value)
    # The last edit moves too: cards and calendar entries are kept under it.
    edited = ["updated_at"] if hasattr(item, "updated_at") else []
    item.save(update_fields=list(missing) + edited)
    return True
