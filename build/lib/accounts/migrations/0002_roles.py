"""Create the three roles (learner, instructor, registrar) with their permissions.

Permissions are normally created after migrations finish; create them first so a fresh
database gets complete groups in one `migrate`.
"""

from django.db import migrations

from accounts.migration_helpers import ensure_permissions, grant_model_permissions

REGISTRAR_MODEL_PERMISSIONS = [
    ("accounts", "user", ["add", "change", "view"]),
    ("wagtailredirects", "redirect", ["add", "change", "delete"]),
]
REGISTRAR_PAGE_PERMISSIONS = [
    "add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page",
]
REGISTRAR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add", "change", "choose"]),
    ("wagtaildocs", "document", ["add", "change", "choose"]),
]


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    # Wagtail's first migration seeds "Editors" and "Moderators"; our roles replace them.
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()
    for name in ("Learner", "Instructor"):
        Group.objects.get_or_create(name=name)
    registrar, _ = Group.objects.get_or_create(name="Registrar")
    registrar.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for app_label, model, actions in REGISTRAR_MODEL_PERMISSIONS:
        grant_model_permissions(apps, "Registrar", app_label, model, actions)

    root_page = Page.objects.get(depth=1)
    for codename in REGISTRAR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=registrar, page=root_page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                              codename=codename),
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, model, actions in REGISTRAR_COLLECTION_PERMISSIONS:
        for action in actions:
            GroupCollectionPermission.objects.get_or_create(
                group=registrar,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
