from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "upskill.demo"
    label = "demo"
    verbose_name = "Demo data"
