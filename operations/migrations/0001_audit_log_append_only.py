"""On PostgreSQL the database itself refuses UPDATE and DELETE on Wagtail's audit log (both
its tables: model and page entries). Wagtail only inserts into them; the one update let
through is Django clearing `content_type_id` when a content type is deleted (SET_NULL)."""

from django.db import migrations

from config.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]
    operations = [
        append_only("wagtailcore_modellogentry", "the audit log is never changed;",
                    may_clear="content_type_id"),
        append_only("wagtailcore_pagelogentry", "the audit log is never changed;",
                    may_clear="content_type_id"),
    ]
