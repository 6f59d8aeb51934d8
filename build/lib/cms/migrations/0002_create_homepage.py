"""Replace Wagtail's placeholder welcome page with our HomePage as the default site's root.

Done in a migration (as Wagtail's project template does) so that a freshly migrated
database serves a home page even before `seed_demo` runs.
"""

from django.db import migrations

INTRO = (
    "<p>Post-graduate dry needling education for licensed clinicians: two three-day, "
    "hands-on courses, a training-hours record every state board can read, and the "
    "Certification in Dry Needling.</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("cms", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    # The welcome page Wagtail's first migration creates (path 00010001).
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
    if HomePage.objects.exists():
        return

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    home = HomePage.objects.create(
        title="Dry needling courses and certification",
        draft_title="Dry needling courses and certification",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
        intro=INTRO,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home,
                  "site_name": "DN Tracker"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
