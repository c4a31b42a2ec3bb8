"""Forecast versions are written once: a new forecast is a new version, never an edit."""

from tribu.core.guards import AppendOnly

VERSIONS = AppendOnly(
    function="tribu_forecast_versions",
    tables=("forecasts_forecastversion",),
    message="forecast versions are append-only: save a new version instead",
)
install = VERSIONS.install
remove = VERSIONS.remove
