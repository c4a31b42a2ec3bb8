"""A dossier as PDF (WeasyPrint), with the same SVG charts as the pages."""

from django.template.loader import render_to_string
from django.utils import translation

from tribu.forecasts.charts import forecast_charts
from tribu.forecasts.charts import ratio_draws as forecast_draws
from tribu.web import pictures

from .services import dossier


def render_html(data: dict) -> str:
    sheet = data["sheet"]
    for entry in sheet["switching_values"]:
        entry["parameter_label"] = pictures.parameter_label(entry["parameter"])
    charts = pictures.balance_charts(sheet, data["draws"])
    forecast = data["forecast"]
    if forecast:
        version = forecast["version"]
        forecast["charts"] = forecast_charts(forecast["result"], forecast_draws(version))
    return render_to_string(
        "dossiers/dossier.html",
        {**data, "charts": charts, "cur": sheet["currency"], "ext": sheet["extended"]},
    )


def dossier_pdf(platform, kind: str, language: str = "fr", gift=None, turnover=None) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    with translation.override(language):
        data = dossier(platform, kind, language, gift, turnover)
        html = render_html(data)
    return HTML(string=html).write_pdf()
