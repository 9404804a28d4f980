from django.db import migrations


def forwards(apps, schema_editor):
    from upskill.registry.categories import ensure_categories

    ensure_categories(apps.get_model("registry", "Category"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
