"""Create the three roles (learner, instructor, registrar) with their permissions.

Permissions are normally created after migrations finish; create them first so a fresh
database gets complete groups in one `migrate`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTRAR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ["access"]),
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


def _perms(apps, app_label, model, actions):
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        "access_admin" if (app_label, model) == ("wagtailadmin", "admin") else f"{a}_{model}"
        for a in actions
    ]
    found = list(Permission.objects.filter(content_type__app_label=app_label,
                                           codename__in=codenames))
    if len(found) != len(codenames):
        raise RuntimeError(f"Missing permissions {codenames} for {app_label}")
    return found


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

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
    for app_label, model, actions in REGISTRAR_MODEL_PERMISSIONS:
        registrar.permissions.add(*_perms(apps, app_label, model, actions))

    root_page = Page.objects.get(depth=1)
    for codename in REGISTRAR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=registrar, page=root_page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                              codename=codename),
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, model, actions in REGISTRAR_COLLECTION_PERMISSIONS:
        for permission in _perms(apps, app_label, model, actions):
            GroupCollectionPermission.objects.get_or_create(
                group=registrar, collection=root_collection, permission=permission
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
