from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "tribu.agents"
    label = "agents"
