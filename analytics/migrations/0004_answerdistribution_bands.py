from django.db import migrations, models


def drop_stored_distributions(apps, schema_editor):
    """Stored distributions may show levels of 1-4 answers (METHODOLOGY §9): `recompute_scores` rebuilds them."""
    apps.get_model("analytics", "AnswerDistribution").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("analytics", "0003_productscore_ranked_score"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="answerdistribution",
            name="analytics_distribution_unique",
        ),
        migrations.RunPython(drop_stored_distributions, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="answerdistribution",
            name="level",
        ),
        migrations.AddField(
            model_name="answerdistribution",
            name="level_low",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="from level"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="answerdistribution",
            name="level_high",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="to level"),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="answerdistribution",
            options={
                "ordering": ["product", "facet", "level_low"],
                "verbose_name": "answer distribution",
                "verbose_name_plural": "answer distributions",
            },
        ),
        migrations.AddConstraint(
            model_name="answerdistribution",
            constraint=models.UniqueConstraint(
                fields=("snapshot", "product", "facet", "level_low"), name="analytics_distribution_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="answerdistribution",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("level_high__lte", 5), ("level_low__gte", 1), ("level_low__lte", models.F("level_high"))
                ),
                name="analytics_distribution_band_on_the_scale",
            ),
        ),
        migrations.AddConstraint(
            model_name="answerdistribution",
            constraint=models.CheckConstraint(
                condition=models.Q(("count", 0), ("count__gte", 5), _connector="OR"),
                name="analytics_distribution_no_small_band",
            ),
        ),
    ]
