from django.apps import AppConfig


class SimulationConfig(AppConfig):
    name = "folja.simulation"
    label = "simulation"
